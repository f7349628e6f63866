package ai.fastvsr.attempts;

import ai.fastvsr.job.CrashLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Decides whether a delivered job may run, from its history alone. No clock takes part: workers' clocks disagree,
 * and the order of the store's log is the only order that all of them see alike.
 *
 * <p>A recorded attempt that never ended is a crash when the process that made it is gone (its consumer left the
 * group: Kafka gives a job to another worker only then). An attempt of this very process was given up by the route
 * (an error before the commit) and is dropped: a process that is still running did not crash. An attempt of
 * another live process is still running somewhere (a worker past its poll interval) and is kept, not counted.
 * Attempts that ended normally, completed or failed, are not in the history at all.
 */
public final class AttemptRules {
    private final int maxCrashes;

    /** @param maxCrashes crashed attempts after which a job is quarantined (at least 1) */
    public AttemptRules(int maxCrashes) {
        if (maxCrashes < 1) {
            throw new IllegalArgumentException("max crashes must be at least 1, got " + maxCrashes);
        }
        this.maxCrashes = maxCrashes;
    }

    /** Run it: {@code earlier} are the attempts to keep before the new one, {@code crashed} those of them that died. */
    public record Run(List<Attempt> earlier, List<Attempt> crashed) {}

    /**
     * @param history  null when the job has none
     * @param me       this worker process's instance id
     * @param running  whether another process's attempt may still be running (its process is alive, or it belongs
     *                 to a group whose members this worker cannot see)
     * @throws CrashLoop when the job must not run: quarantined before, or crashed {@code maxCrashes} times now
     */
    public Run decide(String jobId, AttemptHistory history, String me, Predicate<Attempt> running) throws CrashLoop {
        if (history == null) {
            return new Run(List.of(), List.of());
        }
        if (history.quarantine() != null) {
            Quarantine q = history.quarantine();
            throw CrashLoop.alreadyQuarantined(jobId, q.attempts(), q.deadLetter());
        }
        List<Attempt> earlier = new ArrayList<>();
        List<Attempt> crashed = new ArrayList<>();
        for (Attempt a : history.attempts()) {
            if (a.instance().equals(me)) {
                continue;
            }
            earlier.add(a);
            if (!running.test(a)) {
                crashed.add(a);
            }
        }
        if (crashed.size() >= maxCrashes) {
            throw CrashLoop.quarantine(
                    jobId, crashed.stream().map(Attempt::crashed).toList());
        }
        return new Run(earlier, crashed);
    }
}
