package ai.fastvsr.worker;

/**
 * Chooses the log format before the first logger exists: plain text by default, one JSON object per line (Elastic
 * Common Schema, for log pipelines) with {@code FASTVSR_LOG_FORMAT=json}. Threads started by a job inherit its
 * logging context, so the frame path's stage threads log with the job's id too.
 */
public final class Logging {
    private Logging() {}

    public static void configure() {
        System.setProperty("log4j2.isThreadContextMapInheritable", "true");
        // JavaCPP's own warnings (the GPU build mixes preset versions) go through our log, not raw to stderr
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
        if ("json".equalsIgnoreCase(System.getenv("FASTVSR_LOG_FORMAT"))
                && System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-json.xml");
        }
    }
}
