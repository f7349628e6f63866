package ai.fastvsr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Each job consumer's identity: stable per thread, distinct across threads, untouched for one consumer. */
class JobConsumersTest {
    private static Properties props(String group) {
        Properties p = new Properties();
        p.setProperty("group.id", group);
        p.setProperty("group.instance.id", "pod-3");
        p.setProperty("client.id", "fastvsr-h-1-ab");
        return p;
    }

    @Test
    void consumersOfTheJobGroupGetTheirOwnIdsPerThread() throws Exception {
        JobConsumers factory = new JobConsumers("workers", 2);
        Properties first = factory.identify(props("workers"));
        assertEquals("pod-3-c0", first.getProperty("group.instance.id"));
        assertEquals("fastvsr-h-1-ab-c0", first.getProperty("client.id"));
        assertEquals(
                "pod-3-c0",
                factory.identify(props("workers")).getProperty("group.instance.id"),
                "a reconnect on the same thread keeps its identity");
        Properties other = CompletableFuture.supplyAsync(() -> factory.identify(props("workers")))
                .get();
        assertEquals("pod-3-c1", other.getProperty("group.instance.id"));
        Properties intake = props("fastvsr-intake");
        assertSame(intake, factory.identify(intake), "other groups (the intake) are left alone");
        Properties single = props("workers");
        assertSame(single, new JobConsumers("workers", 1).identify(single), "one consumer: nothing changes");
    }

    @Test
    void readinessCountsEveryConsumerOfThisWorker() {
        assertTrue(JobConsumers.isOurs("fastvsr-h-1-ab", "fastvsr-h-1-ab"));
        assertTrue(JobConsumers.isOurs("fastvsr-h-1-ab", "fastvsr-h-1-ab-c3"));
        assertFalse(JobConsumers.isOurs("fastvsr-h-1-ab", "fastvsr-h-1-abc-c3"));
        assertFalse(JobConsumers.isOurs("fastvsr-h-1-ab", "fastvsr-h-1-ab-cx"));
        assertNotEquals(true, JobConsumers.isOurs("fastvsr-h-1-ab", null));
    }
}
