package ai.fastvsr.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.fastvsr.attempts.AttemptRules;
import ai.fastvsr.attempts.JobAttempts;
import ai.fastvsr.attempts.MemoryAttemptStore;
import ai.fastvsr.events.CompletedData.Rendition;
import ai.fastvsr.events.JobEvents;
import ai.fastvsr.events.JobResult;
import ai.fastvsr.events.MediaSummary;
import ai.fastvsr.events.WorkerInfo;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.JobAbandoned;
import ai.fastvsr.job.JobReader;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRoute;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * camel-routes/jobs.yaml as it ships, with its Kafka endpoints replaced by AdviceWith and the job processor stubbed;
 * the other beans are the worker's own. Pins the order that makes delivery safe: the final event is sent before
 * the commit, a poison record goes to the dead-letter topic with its bytes and is committed, and an abandoned job
 * sends nothing more and is not committed. The broker ITs (WorkerIT, FleetIT) check the same on real Kafka.
 */
class JobRouteTest {
    private static final String JOB = "{\"jobId\":\"j-1\",\"input\":{\"uri\":\"s3://ingest/a.mp4\"},"
            + "\"output\":{\"uri\":\"s3://renditions/a.x4.mp4\"}}";

    /** What left the route, in order: "event:<type>", "dlq", "process", "commit". */
    private final List<String> timeline = new ArrayList<>();

    private final List<Object> sent = new ArrayList<>();
    private Processing processing;
    private CamelContext camel;

    @BeforeEach
    void startRoutes() throws Exception {
        camel = new DefaultCamelContext();
        Properties props = new Properties();
        props.putAll(Map.of(
                "fastvsr.topics.jobs",
                "vsr.jobs",
                "fastvsr.topics.events",
                "vsr.events",
                "fastvsr.topics.dlq",
                "vsr.jobs.dlq",
                "fastvsr.kafka.group",
                "g",
                "fastvsr.kafka.clientId",
                "c",
                "fastvsr.kafka.maxPollIntervalMs",
                "600000",
                "fastvsr.kafka.sessionTimeoutMs",
                "45000",
                "fastvsr.kafka.heartbeatIntervalMs",
                "3000"));
        camel.getPropertiesComponent().setInitialProperties(props);
        ObjectMapper json = new ObjectMapper();
        var registry = camel.getRegistry();
        registry.bind("jobReader", new JobReader(json));
        registry.bind("jobLog", new JobLog());
        registry.bind("jobMetrics", new JobMetrics(new SimpleMeterRegistry()));
        registry.bind("jobEvents", new JobEvents(json, new WorkerInfo("test", "cpu", "cpu", "m", "1")));
        registry.bind("jobProcessor", new StubProcessor());
        // no job here is split: the split beans only have to exist for the routes to start
        for (String name : List.of("jobSplitter", "splitJoiner", "splitChildren")) {
            registry.bind(name, new NoSplits());
        }
        registry.bind("deadLetters", new DeadLetters(json));
        // attempts in memory, every instance alive: no job here ever counts as a crash loop
        registry.bind(
                "jobAttempts",
                new JobAttempts(
                        new MemoryAttemptStore(),
                        new AttemptRules(3),
                        () -> id -> true,
                        key -> 0,
                        "test",
                        "test-1",
                        "g",
                        Clock.systemUTC()));
        registry.bind("kafkaOffsets", new KafkaOffsets());
        PluginHelper.getRoutesLoader(camel)
                .loadRoutes(PluginHelper.getResourceLoader(camel).resolveResource("file:camel-routes/jobs.yaml"));

        AdviceWith.adviceWith(camel, JobRoute.ID, a -> a.replaceFromWith("direct:jobs"));
        AdviceWith.adviceWith(
                camel, "publish-event", a -> a.weaveByToUri("kafka:*").replace().process(e -> {
                    CloudEvent event = e.getIn().getBody(CloudEvent.class);
                    record("event:" + event.getType().substring(event.getType().lastIndexOf('.') + 1), event);
                }));
        AdviceWith.adviceWith(camel, "dead-letter", a -> a.weaveByToUri("kafka:*")
                .replace()
                .process(e -> record("dlq", e.getIn().copy())));
        for (String route : List.of("publish-children", "child-done")) {
            AdviceWith.adviceWith(camel, route, a -> a.weaveByToUri("kafka:*")
                    .replace()
                    .process(e -> record("job", e.getIn().copy())));
        }
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void acceptedThenCompletedThenCommit() {
        processing = job -> new JobResult(
                new Rendition(
                        job.output().uri(),
                        "etag",
                        null,
                        1,
                        "sha",
                        "h264",
                        4,
                        4,
                        "30/1",
                        1,
                        33,
                        0,
                        0,
                        "mp4",
                        "yuv420p",
                        null,
                        "libopenh264",
                        List.of()),
                new MediaSummary(job.input().uri(), 1, "h264", 1, 1, "30/1", 1, 33, 0, 0, "mp4", "yuv420p", null),
                Map.of("process", 5L),
                false);
        Exchange done = send(JOB);
        assertEquals(null, done.getException());
        assertEquals(List.of("event:accepted", "process", "event:completed", "commit"), timeline);
        assertEquals("j-1", ((CloudEvent) sent.get(2)).getSubject());
    }

    @Test
    void aFailedJobSendsFailedThenCommits() {
        processing = job -> {
            throw new Failure(ErrorCode.INPUT_NOT_FOUND, Phase.DOWNLOADING, "no such key");
        };
        send(JOB);
        assertEquals(List.of("event:accepted", "process", "event:failed", "commit"), timeline);
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWithItsBytesAndIsCommitted() {
        byte[] poison = "not a job".getBytes(StandardCharsets.UTF_8);
        Exchange done = send(poison);
        assertEquals(null, done.getException());
        // no jobId to tell anyone about: no event, only the dead letter
        assertEquals(List.of("dlq", "commit"), timeline);
        var dead = (Message) sent.get(0);
        assertArrayEquals(poison, dead.getBody(byte[].class));
        assertEquals("INVALID_JOB", dead.getHeader(DeadLetters.ERROR_CODE));
        assertEquals("7", dead.getHeader(DeadLetters.ORIGINAL_OFFSET));
    }

    @Test
    void anAbandonedJobSendsNothingMoreAndIsNotCommitted() {
        processing = job -> {
            throw new JobAbandoned(job.jobId(), null);
        };
        Exchange done = send(JOB);
        assertEquals(List.of("event:accepted", "process"), timeline);
        assertInstanceOf(JobAbandoned.class, done.getException(), String.valueOf(done.getException()));
    }

    private Exchange send(Object body) {
        return camel.createProducerTemplate().send("direct:jobs", e -> {
            e.getIn().setBody(body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : body);
            e.getIn().setHeader(KafkaConstants.MANUAL_COMMIT, (KafkaManualCommit) () -> record("commit", null));
            e.getIn().setHeader(KafkaConstants.TOPIC, "vsr.jobs");
            e.getIn().setHeader(KafkaConstants.PARTITION, 0);
            e.getIn().setHeader(KafkaConstants.OFFSET, 7L);
        });
    }

    private synchronized void record(String what, Object payload) {
        timeline.add(what);
        sent.add(payload);
    }

    private interface Processing {
        JobResult apply(JobRequest job) throws Exception;
    }

    /** Stands in for the split beans, which these tests never reach (a call fails the test's job). */
    public static final class NoSplits {
        public Object split() {
            throw new AssertionError("split called");
        }

        public Object join() {
            throw new AssertionError("join called");
        }

        public void cleanup() {
            throw new AssertionError("cleanup called");
        }

        public Object done() {
            throw new AssertionError("done called");
        }

        public Object failed() {
            throw new AssertionError("failed called");
        }

        public void removeSplit() {
            throw new AssertionError("removeSplit called");
        }
    }

    /** Stands in for JobProcessor: same bean name, same method, same way of getting the job. */
    public final class StubProcessor {
        public JobResult process(@ExchangeProperty(JobRoute.JOB) JobRequest job) throws Exception {
            record("process", job);
            return processing.apply(job);
        }
    }
}
