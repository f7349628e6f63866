package ai.fastvsr.attempts;

import ai.fastvsr.job.CrashedAttempt;

/**
 * One worker process's attempt at a job, recorded before the heavy work starts.
 *
 * @param number     1 for a job's first attempt since it last ended normally, 2 for the next, ...
 * @param worker     host name, for people
 * @param instance   the worker process's Kafka client id (unique per process): how liveness is told, since a
 *                   process is alive while its consumer is a member of the job topic's group
 * @param group      that consumer group: only workers of the same group can tell whether the process is alive, so
 *                   fleets of other groups sharing the store never count or clean up this attempt
 * @param startedAt  the worker's clock, ISO-8601: reported, never compared
 * @param output     the job's output URI: whose multipart uploads an attempt may own
 */
public record Attempt(
        String id, int number, String worker, String instance, String group, String startedAt, String output) {
    CrashedAttempt crashed() {
        return new CrashedAttempt(worker, startedAt);
    }
}
