package ai.fastvsr.worker;

import ai.fastvsr.attempts.AttemptRules;
import ai.fastvsr.attempts.JobAttempts;
import ai.fastvsr.attempts.KafkaAttemptStore;
import ai.fastvsr.events.JobEvents;
import ai.fastvsr.events.ProgressPublisher;
import ai.fastvsr.events.WorkerInfo;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.intake.MamIntake;
import ai.fastvsr.job.JobReader;
import ai.fastvsr.pipeline.JobProcessor;
import ai.fastvsr.pipeline.UpscalePipeline;
import ai.fastvsr.split.JobSplitter;
import ai.fastvsr.split.SplitChildren;
import ai.fastvsr.split.SplitJoiner;
import ai.fastvsr.storage.ObjectStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: the model loaded, the object store open, and Camel running the YAML routes from the routes
 * directory. Everything the routes call is bound here by name; the routes themselves live only in YAML.
 */
public final class WorkerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);

    /** The routes in the jar, used when the settings name no routes directory. */
    public static final String BUNDLED_ROUTES = "classpath:camel-routes/*.yaml";

    private final Main main;
    private final Thread thread;
    private final Upscaler upscaler;
    private final ObjectStore store;
    private volatile Exception failure;

    private final int shutdownGraceSeconds;
    private JobProcessor processor;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private volatile int httpPort = -1;

    private WorkerApp(Main main, Upscaler upscaler, ObjectStore store, int shutdownGraceSeconds) {
        this.shutdownGraceSeconds = shutdownGraceSeconds;
        this.main = main;
        this.upscaler = upscaler;
        this.store = store;
        this.thread = new Thread(this::runMain, "camel-main");
    }

    /** Starts the worker and returns once its routes consume, or throws if anything needed is missing. */
    public static WorkerApp start(WorkerSettings settings) throws Exception {
        Offline.enforce();
        if (settings.routesDir() != null && !Files.isDirectory(settings.routesDir())) {
            throw new IllegalArgumentException("routes directory not found: "
                    + settings.routesDir().toAbsolutePath() + " (set --routes or FASTVSR_ROUTES_DIR)");
        }
        ObjectMapper json = new ObjectMapper();
        int consumers = settings.jobConsumers();
        // one GPU slot per job that may run at once
        Upscaler upscaler = Upscaler.load(settings.modelDir(), settings.engine().withSlots(consumers), json);
        var guardrails = settings.guardrails();
        ObjectStore store = new ObjectStore(settings.s3(), guardrails.retry());
        if (guardrails.access().inputs().contains("*")
                || guardrails.access().outputs().contains("*")) {
            LOG.warn("no allow-list for inputs and/or outputs: jobs may read and write any object these S3 "
                    + "credentials reach (set --input-allow / --output-allow)");
        }
        var card = upscaler.card();
        WorkerInfo info = new WorkerInfo(
                hostName(),
                settings.engine().kind().name().toLowerCase(),
                settings.engine().device(),
                card.name(),
                card.version());

        Main main = new Main();
        // no --routes: the routes packed in the jar (the pom copies camel-routes/ onto the class path)
        main.configure()
                .withRoutesIncludePattern(
                        settings.routesDir() == null
                                ? BUNDLED_ROUTES
                                : "file:" + settings.routesDir().toAbsolutePath() + "/*.yaml");
        // shutdown is ours: the CLI stops the worker before the embedded servers it talks to
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        main.setInitialProperties(camelProperties(settings));
        main.bind("jobReader", new JobReader(json));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("fastvsr.model.info", () -> 1)
                .tag("model", card.name())
                .tag("version", card.version())
                .tag("engine", info.engine())
                .tag("device", info.device())
                .description("the model and engine this worker serves")
                .register(registry);
        Gauge.builder("fastvsr.jobs.concurrent.max", () -> consumers)
                .description("jobs this worker runs at once (Kafka consumers of the job topic)")
                .register(registry);
        main.bind("jobConsumers", new JobConsumers(settings.groupId(), consumers));
        JobEvents events = new JobEvents(json, info);
        ProgressPublisher progress =
                new ProgressPublisher(settings.kafkaBrokers(), settings.topics().events(), settings.kafkaProperties());
        var interval = settings.observability().progressInterval();
        main.bind("jobEvents", events);
        main.bind("jobMetrics", new JobMetrics(registry));
        main.bind("jobLog", new JobLog());
        JobProcessor processor = new JobProcessor(
                store,
                UpscalePipeline.forModel(upscaler),
                card.name(),
                card.version(),
                settings.workDir(),
                guardrails.access(),
                guardrails.limits(),
                job -> new ProgressEvents(job, events, progress, interval));
        main.bind("jobProcessor", processor);
        main.bind(
                "jobSplitter",
                new JobSplitter(
                        store,
                        processor,
                        settings.workDir(),
                        guardrails.limits(),
                        guardrails.access(),
                        card.clipFrames(),
                        json));
        main.bind("splitChildren", new SplitChildren(store, events, json, settings.workDir()));
        main.bind("splitJoiner", new SplitJoiner(store, processor, json, settings.workDir()));
        main.bind("deadLetters", new DeadLetters(json));
        main.bind("kafkaOffsets", new KafkaOffsets());
        main.bind("mamIntake", new MamIntake(settings.intake(), json)); // camel-routes/intake.yaml (off by default)

        // unique per process: the consumers' client id, and the instance id that attempts are recorded under
        String clientId =
                "fastvsr-" + info.host() + "-" + ProcessHandle.current().pid() + "-"
                        + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        main.addInitialProperty("fastvsr.kafka.clientId", clientId);
        KafkaAttemptStore attemptStore = new KafkaAttemptStore(
                settings.kafkaBrokers(),
                settings.kafkaProperties(),
                settings.attempts().topic(),
                json);
        GroupMembers members =
                new GroupMembers(settings.kafkaBrokers(), settings.kafkaProperties(), settings.groupId());
        JobAttempts attempts = new JobAttempts(
                attemptStore,
                new AttemptRules(settings.attempts().maxCrashes()),
                members,
                store::abortUploads,
                info.host(),
                clientId,
                settings.groupId(),
                Clock.systemUTC());
        main.bind("jobAttempts", attempts);
        WorkerApp app = new WorkerApp(main, upscaler, store, guardrails.shutdownGraceSeconds());
        app.closeables.add(progress);
        app.closeables.add(attemptStore);
        app.closeables.add(members);
        app.processor = processor;
        int stale = processor.sweepTempDirs(false);
        if (stale > 0) {
            LOG.info("removed {} temp dir(s) that killed workers left in {}", stale, settings.workDir());
        }
        if (settings.observability().httpPort() >= 0) {
            ConsumerGroupWatch watch = new ConsumerGroupWatch(
                    settings.kafkaBrokers(),
                    settings.kafkaProperties(),
                    settings.groupId(),
                    settings.topics().jobs(),
                    clientId,
                    registry);
            app.closeables.add(watch);
            HealthServer health = new HealthServer(
                    settings.observability().httpPort(),
                    () -> {
                        String s3 = store.problem();
                        if (s3 != null) {
                            return s3;
                        }
                        int partitions = watch.assignedPartitions();
                        return partitions > 0
                                ? null
                                : "no partition of " + settings.topics().jobs() + " assigned to " + clientId
                                        + (partitions < 0 ? " yet" : "");
                    },
                    registry);
            app.closeables.add(0, health);
            app.httpPort = health.port();
            LOG.info("health and metrics on http://0.0.0.0:{}/ (health/live, health/ready, metrics)", health.port());
        }
        JobBudget.bindIfLimited(main, settings.maxJobs()); // --max-jobs: exit after N jobs (KEDA ScaledJob)
        CountDownLatch started = new CountDownLatch(1);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                started.countDown();
            }
        });
        app.thread.start();
        while (!started.await(200, TimeUnit.MILLISECONDS)) {
            if (!app.thread.isAlive()) {
                break;
            }
        }
        if (app.failure != null || !app.thread.isAlive()) {
            app.close();
            throw new IllegalStateException("worker failed to start: " + app.failure, app.failure);
        }
        LOG.info(
                "worker ready: model {} v{} on {}, {} job(s) at once, consuming {} from {}",
                card.name(),
                card.version(),
                upscaler.describe(),
                consumers,
                settings.topics().jobs(),
                settings.kafkaBrokers());
        sweepOrphanUploads(attempts);
        return app;
    }

    /**
     * In the background (S3 may be down, and jobs need not wait): the multipart uploads that attempts of dead
     * workers left behind. The next attempt at such a job cleans up too; this covers the jobs nobody retries soon.
     */
    private static void sweepOrphanUploads(JobAttempts attempts) {
        Thread sweep = new Thread(
                () -> {
                    try {
                        int aborted = attempts.sweep();
                        LOG.info("start-up sweep: {} multipart upload(s) of crashed attempts aborted", aborted);
                    } catch (RuntimeException e) {
                        LOG.warn("start-up sweep of orphaned uploads skipped: {}", e.getMessage());
                    }
                },
                "orphan-upload-sweep");
        sweep.setDaemon(true);
        sweep.start();
    }

    private static Properties camelProperties(WorkerSettings s) {
        Properties p = new Properties();
        p.setProperty("camel.component.kafka.brokers", s.kafkaBrokers());
        p.setProperty("fastvsr.kafka.group", s.groupId());
        p.setProperty("fastvsr.kafka.consumers", String.valueOf(s.jobConsumers()));
        // every Kafka endpoint's clients come from here: several job consumers each get their own identity
        p.setProperty("camel.component.kafka.kafkaClientFactory", "#bean:jobConsumers");
        p.setProperty("fastvsr.kafka.maxPollIntervalMs", String.valueOf(s.maxPollIntervalMs()));
        long session = s.guardrails().sessionTimeoutMs();
        p.setProperty("fastvsr.kafka.sessionTimeoutMs", String.valueOf(session));
        p.setProperty("fastvsr.kafka.heartbeatIntervalMs", String.valueOf(Math.max(500, session / 3)));
        p.setProperty("fastvsr.topics.jobs", s.topics().jobs());
        p.setProperty("fastvsr.topics.events", s.topics().events());
        p.setProperty("fastvsr.topics.dlq", s.topics().deadLetters());
        // rebalances move only the partitions that must move, and a restarted pod keeps its partitions
        p.setProperty(
                "camel.component.kafka.partitionAssignor",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        if (s.guardrails().groupInstanceId() != null
                && !s.guardrails().groupInstanceId().isBlank()) {
            p.setProperty(
                    "camel.component.kafka.groupInstanceId", s.guardrails().groupInstanceId());
        }
        // SIGTERM: stop polling, let the job in flight finish this long, then abandon it uncommitted
        p.setProperty(
                "camel.main.shutdownTimeout", String.valueOf(s.guardrails().shutdownGraceSeconds()));
        p.putAll(s.intake().camelProperties());
        // SASL/TLS and any other client setting: onto every Kafka endpoint of the routes
        s.kafkaProperties()
                .forEach((k, v) -> p.setProperty("camel.component.kafka.additionalProperties[" + k + "]", v));
        return p;
    }

    private void runMain() {
        try {
            main.run();
        } catch (Exception e) {
            failure = e;
        }
    }

    /** The port of the health and metrics server, or -1 when it is off. */
    public int httpPort() {
        return httpPort;
    }

    /** How long the job in flight may finish after a stop (--shutdown-grace-s). */
    public int shutdownGraceSeconds() {
        return shutdownGraceSeconds;
    }

    /** Blocks until the worker stops (another thread called {@link #close()}). */
    public void awaitStop() throws InterruptedException {
        thread.join();
    }

    @Override
    public void close() throws Exception {
        long start = System.nanoTime();
        LOG.info("stopping: no new jobs; the job in flight has {} s to finish", shutdownGraceSeconds);
        main.completed();
        // Camel stops polling and waits up to the grace period for the job in flight; then it is abandoned
        // uncommitted: interrupted, its temp files removed, and Kafka redelivers it to another worker
        thread.join(TimeUnit.SECONDS.toMillis(shutdownGraceSeconds + 5L));
        if (thread.isAlive()) {
            LOG.warn("routes still stopping after {} ms; closing the rest anyway", millisSince(start));
        } else {
            LOG.info("routes stopped after {} ms", millisSince(start));
        }
        if (processor != null) {
            processor.abandonRunning(TimeUnit.SECONDS.toMillis(15));
            // a job abandoned at shutdown leaves nothing behind either
            processor.sweepTempDirs(true);
        }
        List<AutoCloseable> rest = new ArrayList<>(closeables);
        rest.add(upscaler);
        rest.add(store);
        for (AutoCloseable c : rest) {
            long t = System.nanoTime();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
            }
            // a close that takes long is where a stuck drain spends its time: name it
            long took = millisSince(t);
            if (took > 2000) {
                LOG.warn("closing {} took {} ms", c.getClass().getSimpleName(), took);
            }
        }
        LOG.info("stopped after {} ms", millisSince(start));
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
