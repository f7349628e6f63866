package ai.fastvsr.events;

import java.util.Map;

/** Data of {@code ai.fastvsr.job.accepted}: the worker took the job and starts on it. */
public record AcceptedData(
        String jobId, String input, String output, String model, WorkerInfo worker, Map<String, Object> userMetadata) {}
