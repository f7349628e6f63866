package ai.fastvsr.events;

import ai.fastvsr.failure.Phase;
import java.util.Map;

/**
 * Data of {@code ai.fastvsr.job.progress}: where a running job is. Frame counts, fps and ETA are null while
 * unknown (e.g. while downloading). A split parent's progress counts its segments instead. Informative only: consumers must not depend on receiving any.
 */
public record ProgressData(
        String jobId,
        Phase phase,
        double percent,
        Long framesDone,
        Long framesTotal,
        Double fps,
        Long etaMs,
        Integer segments,
        Integer segmentsDone,
        WorkerInfo worker,
        Map<String, Object> userMetadata) {}
