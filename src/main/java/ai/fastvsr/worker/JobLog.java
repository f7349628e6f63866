package ai.fastvsr.worker;

import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRoute;
import org.apache.camel.ExchangeProperty;
import org.slf4j.MDC;

/**
 * Puts the jobId into the logging context of the thread that runs the job; the frame path's stage threads inherit
 * it (see {@link Logging}), so every line a job causes carries its id.
 */
public final class JobLog {
    static final String KEY = "jobId";

    public void begin(@ExchangeProperty(JobRoute.JOB) JobRequest job) {
        MDC.put(KEY, job.jobId());
    }

    public void clear() {
        MDC.remove(KEY);
    }
}
