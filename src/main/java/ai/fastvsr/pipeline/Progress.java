package ai.fastvsr.pipeline;

import ai.fastvsr.failure.Phase;

/** What a job reports while it runs; implementations decide how often anybody hears of it. */
public interface Progress {
    /** A new phase starts. */
    void phase(Phase phase);

    /** Frames written so far, out of an estimated total (0 when unknown). */
    void frames(long done, long total);

    Progress NONE = new Progress() {
        @Override
        public void phase(Phase phase) {}

        @Override
        public void frames(long done, long total) {}
    };
}
