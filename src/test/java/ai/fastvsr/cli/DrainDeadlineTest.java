package ai.fastvsr.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainDeadlineTest {
    @Test
    void aDrainPastItsLimitIsEndedAndOneInTimeIsNot() throws Exception {
        CountDownLatch overran = new CountDownLatch(1);
        DrainDeadline.watch(Duration.ofMillis(50), overran::countDown);
        assertTrue(overran.await(10, TimeUnit.SECONDS), "the overrun action ran");

        CountDownLatch notEnded = new CountDownLatch(1);
        Thread watch = DrainDeadline.watch(Duration.ofMillis(300), notEnded::countDown);
        watch.interrupt(); // the process ended in time: never reached in a real drain, halt came first
        watch.join(5000);
        assertFalse(watch.isAlive());
        assertFalse(notEnded.await(600, TimeUnit.MILLISECONDS), "no overrun after an interrupt");
    }

    @Test
    void theReportNamesEachThreadWithWhereItIs() throws Exception {
        CountDownLatch parked = new CountDownLatch(1);
        Thread stuck = new Thread(
                () -> {
                    try {
                        parked.await();
                    } catch (InterruptedException ignored) {
                        // test over
                    }
                },
                "stuck-close");
        stuck.start();
        try {
            while (stuck.getState() != Thread.State.WAITING) {
                Thread.sleep(10);
            }
            String report = DrainDeadline.threadStacks();
            assertTrue(report.contains("\"stuck-close\" WAITING"), report);
            assertTrue(report.contains("java.util.concurrent.CountDownLatch.await("), report);
        } finally {
            parked.countDown();
            stuck.join();
        }
    }
}
