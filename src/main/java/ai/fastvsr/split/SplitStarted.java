package ai.fastvsr.split;

import java.util.List;

/**
 * A split parent's work is done: its segments are stored, and these child jobs are to be published (the route
 * sends each to the job topic, key = its jobId).
 */
public record SplitStarted(String manifest, int segments, List<ChildJob> children) {

    /** A child job as the job topic gets it. */
    public record ChildJob(String jobId, byte[] json) {}
}
