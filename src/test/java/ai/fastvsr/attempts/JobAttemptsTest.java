package ai.fastvsr.attempts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.job.CrashLoop;
import ai.fastvsr.job.CrashedAttempt;
import ai.fastvsr.job.DeadLetterRef;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.S3Location;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attempt rules as the route drives them, worker processes simulated over one shared store: a process is alive
 * while it is in {@link #live} (as a member of the consumer group), and "dies" by leaving it without ending its
 * attempt, which is all that kill -9 leaves behind.
 */
class JobAttemptsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final MemoryAttemptStore store = new MemoryAttemptStore();
    private final Set<String> live = new HashSet<>();
    private final List<S3Location> aborted = new ArrayList<>();
    private final JobRequest job = job("seg-42", "s3://renditions/cam7/seg-42.x4.mp4");
    private int processes;

    @Test
    void normalFailuresAreNotCrashesHoweverOftenTheyHappen() throws Exception {
        for (int i = 0; i < 10; i++) {
            Worker w = worker(3, Duration.ZERO);
            Attempt a = w.attempts.begin(job);
            assertEquals(1, a.number(), "a failed job's attempts were closed, so every delivery is a first attempt");
            w.attempts.end(job, a);
            w.exit();
        }
        assertTrue(store.histories.isEmpty());
        assertTrue(aborted.isEmpty(), "no crash, nothing to clean");
    }

    @Test
    void crashesAreCountedAndTheNextWorkerQuarantines() throws Exception {
        List<String> crashedOn = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Worker w = worker(3, Duration.ZERO);
            assertEquals(i, w.attempts.begin(job).number());
            crashedOn.add(w.name);
            w.kill();
        }
        Worker next = worker(3, Duration.ZERO);
        CrashLoop refused = assertThrows(CrashLoop.class, () -> next.attempts.begin(job));
        assertTrue(refused.isFresh());
        assertEquals(
                crashedOn,
                refused.attempts().stream().map(CrashedAttempt::worker).toList());
        assertEquals(3, store.histories.get("seg-42").attempts().size(), "refusing writes no attempt");
        // the uploads the crashed attempts left were cleaned by attempts 2 and 3 as they began
        assertEquals(2, aborted.size());
    }

    @Test
    void aFailureAfterCrashesStartsTheCountAgain() throws Exception {
        for (int i = 0; i < 2; i++) {
            worker(3, Duration.ZERO).beginAndKill(job);
        }
        Worker w = worker(3, Duration.ZERO);
        Attempt third = w.attempts.begin(job);
        assertEquals(3, third.number());
        w.attempts.end(job, third);
        for (int i = 0; i < 2; i++) {
            worker(3, Duration.ZERO).beginAndKill(job);
        }
        assertEquals(3, worker(3, Duration.ZERO).attempts.begin(job).number(), "2 crashes since the failure: runs");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void quarantineComesAfterExactlyNCrashes(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            worker(n, Duration.ZERO).beginAndKill(job);
        }
        Worker next = worker(n, Duration.ZERO);
        assertEquals(
                n,
                assertThrows(CrashLoop.class, () -> next.attempts.begin(job))
                        .attempts()
                        .size());

        JobRequest other = job("seg-43", "s3://renditions/cam7/seg-43.x4.mp4");
        for (int i = 0; i < n - 1; i++) {
            worker(n, Duration.ZERO).beginAndKill(other);
        }
        assertEquals(n, worker(n, Duration.ZERO).attempts.begin(other).number(), n - 1 + " crashes still run");
    }

    @Test
    void nMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new AttemptRules(0));
    }

    @Test
    void clockSkewBetweenWorkersChangesNeitherTheCountNorTheOrder() throws Exception {
        // one worker's clock hours ahead, the next hours behind, then a correct one: their times go back and forth
        Duration[] skews = {Duration.ofHours(5), Duration.ofHours(-7), Duration.ofMinutes(1)};
        List<String> order = new ArrayList<>();
        for (Duration skew : skews) {
            Worker w = worker(3, skew);
            w.attempts.begin(job);
            order.add(w.name);
            w.kill();
        }
        Worker behind = worker(3, Duration.ofDays(-365));
        CrashLoop refused = assertThrows(
                CrashLoop.class,
                () -> behind.attempts.begin(job),
                "a worker whose clock is a year behind still sees three crashes");
        assertEquals(
                order, refused.attempts().stream().map(CrashedAttempt::worker).toList(), "recorded order");
        assertEquals(
                List.of("2026-11-25T15:00:00Z", "2026-11-25T03:00:00Z", "2026-11-25T10:01:00Z"),
                refused.attempts().stream().map(CrashedAttempt::startedAt).toList(),
                "each worker's own clock");

        // nor does a clock far ahead make old attempts look stale: there is no expiry by time
        for (int i = 0; i < 2; i++) {
            worker(3, Duration.ZERO).beginAndKill(job("seg-50", "s3://renditions/seg-50.mp4"));
        }
        assertEquals(
                3,
                worker(3, Duration.ofDays(3650))
                        .attempts
                        .begin(job("seg-50", "s3://renditions/seg-50.mp4"))
                        .number());
    }

    @Test
    void aRedeliveredJobAfterQuarantineIsAnsweredFromTheQuarantineRecordAndNeverRunsAgain() throws Exception {
        for (int i = 0; i < 3; i++) {
            worker(3, Duration.ZERO).beginAndKill(job);
        }
        Worker quarantiner = worker(3, Duration.ZERO);
        CrashLoop fresh = assertThrows(CrashLoop.class, () -> quarantiner.attempts.begin(job));
        // the route copied the job to the dead-letter topic, which acknowledged it at offset 17
        quarantiner.attempts.quarantine(
                job, fresh, List.of(new RecordMetadata(new TopicPartition("vsr.jobs.dlq", 1), 17, 0, 0, 0, 0)));
        DeadLetterRef where = new DeadLetterRef("vsr.jobs.dlq", 1, 17);
        assertEquals(where, fresh.deadLetter(), "the failed event names the dead letter");
        assertEquals(3, aborted.size(), "the quarantine cleaned the output key once more");

        int writes = store.writes;
        for (int i = 0; i < 3; i++) {
            // later deliveries, to workers started after it, with different clocks and N
            Worker later = worker(3 + i, Duration.ofHours(i));
            CrashLoop answer = assertThrows(CrashLoop.class, () -> later.attempts.begin(job));
            assertFalse(answer.isFresh(), "not quarantined (nor dead-lettered) again");
            assertEquals(where, answer.deadLetter());
            assertEquals(fresh.attempts(), answer.attempts());
        }
        assertEquals(writes, store.writes, "a quarantined job never gets another attempt");
    }

    @Test
    void anAttemptOfALiveProcessIsNotACrash() throws Exception {
        // this process's own earlier attempt: the route gave up on it (events topic unreachable) and Kafka
        // redelivered it here; the process is running, so nothing crashed
        Worker w = worker(1, Duration.ZERO);
        w.attempts.begin(job);
        assertEquals(1, w.attempts.begin(job).number());
        // another process still running it (past its poll interval): kept, not counted
        Worker other = worker(1, Duration.ZERO);
        assertEquals(2, other.attempts.begin(job).number());
        assertTrue(aborted.isEmpty(), "a live attempt's upload is never aborted");
    }

    @Test
    void aJobGivenBackAtShutdownIsNotACrash() throws Exception {
        Worker stopping = worker(1, Duration.ZERO);
        Attempt a = stopping.attempts.begin(job);
        stopping.attempts.abandon(job, a);
        stopping.exit();
        assertEquals(1, worker(1, Duration.ZERO).attempts.begin(job).number(), "N=1 and still runs");
    }

    @Test
    void orphanedUploadsAreAbortedUnlessALiveAttemptWritesTheSameKey() throws Exception {
        worker(3, Duration.ZERO).beginAndKill(job);
        // another job writing the same output key is running on a live worker
        Worker busy = worker(3, Duration.ZERO);
        busy.attempts.begin(job("seg-42-redo", job.output().uri()));
        Worker second = worker(3, Duration.ZERO);
        Attempt retry = second.attempts.begin(job);
        assertEquals(2, retry.number());
        assertTrue(aborted.isEmpty(), "the live attempt may own the uploads on that key");
        second.attempts.end(job, retry);

        busy.kill();
        assertEquals(1, worker(3, Duration.ZERO).attempts.sweep(), "nobody alive writes the key any more");
        assertEquals(List.of(S3Location.parse(job.output().uri())), aborted);
    }

    @Test
    void attemptsOfAnotherGroupAreNeitherCountedNorCleanedByThisOne() throws Exception {
        // a second fleet on another job topic shares the store; its workers are not members of our group
        Worker gpu = worker(1, Duration.ZERO, "gpu-workers");
        gpu.attempts.begin(job("seg-9", "s3://renditions/seg-9.mp4"));
        live.remove(gpu.instance); // as our group sees it: not a member
        assertEquals(0, worker(1, Duration.ZERO).attempts.sweep(), "its upload is not ours to abort");
        assertEquals(
                2,
                worker(1, Duration.ZERO)
                        .attempts
                        .begin(job("seg-9", "s3://renditions/seg-9.mp4"))
                        .number(),
                "N=1, yet not quarantined: the other group's attempt is not counted as a crash");
        assertTrue(aborted.isEmpty());
    }

    @Test
    void theStartUpSweepLeavesJobsOfLiveWorkersAlone() throws Exception {
        worker(3, Duration.ZERO).attempts.begin(job);
        worker(3, Duration.ZERO).beginAndKill(job("seg-7", "s3://renditions/seg-7.mp4"));
        assertEquals(1, worker(3, Duration.ZERO).attempts.sweep());
        assertEquals(List.of(S3Location.parse("s3://renditions/seg-7.mp4")), aborted);
    }

    private Worker worker(int maxCrashes, Duration skew) {
        return worker(maxCrashes, skew, "vsr-workers");
    }

    private Worker worker(int maxCrashes, Duration skew, String group) {
        String name = "w" + ++processes;
        String instance = "fastvsr-" + name + "-4242-beef";
        live.add(instance);
        Clock clock = Clock.offset(Clock.fixed(NOW, ZoneOffset.UTC), skew);
        JobAttempts attempts = new JobAttempts(
                store,
                new AttemptRules(maxCrashes),
                () -> Set.copyOf(live)::contains,
                key -> {
                    aborted.add(key);
                    return 1;
                },
                name,
                instance,
                group,
                clock);
        return new Worker(name, instance, attempts);
    }

    private final class Worker {
        final String name;
        final String instance;
        final JobAttempts attempts;

        Worker(String name, String instance, JobAttempts attempts) {
            this.name = name;
            this.instance = instance;
            this.attempts = attempts;
        }

        /** kill -9: the process leaves the group, its attempt stays open. */
        void kill() {
            live.remove(instance);
        }

        void exit() {
            live.remove(instance);
        }

        void beginAndKill(JobRequest j) throws CrashLoop {
            attempts.begin(j);
            kill();
        }
    }

    private static JobRequest job(String id, String output) {
        return new JobRequest(
                id,
                new ObjectRef("s3://ingest/" + id + ".mp4", null),
                new ObjectRef(output, null),
                null,
                4,
                null,
                Map.of());
    }
}
