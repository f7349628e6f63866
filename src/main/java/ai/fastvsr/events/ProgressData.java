package ai.fastvsr.events;

import ai.fastvsr.failure.Phase;
import java.util.Map;

/**
 * Data of {@code ai.fastvsr.job.progress}: where a running job is. Frame counts, fps and ETA are null while
 * unknown (e.g. while downloading). Informative only: consumers must not depend on receiving any.
 */
public record ProgressData(
        String jobId,
        Phase phase,
        double percent,
        Long framesDone,
        Long framesTotal,
        Double fps,
        Long etaMs,
        WorkerInfo worker,
        Map<String, Object> userMetadata) {}
