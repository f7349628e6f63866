package ai.fastvsr.worker;

/**
 * Keeps the process off the network except for Kafka and S3. DJL's start-up telemetry dials the EC2 metadata
 * address unless told not to; it reads both switches from the environment or from system properties, so setting
 * the properties here covers launches that forgot the environment variable.
 */
public final class Offline {
    private Offline() {}

    public static void enforce() {
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        // a second engine on the classpath (TensorRT profile) must not take over as DJL's default
        if (System.getProperty("ai.djl.default_engine") == null) {
            System.setProperty("ai.djl.default_engine", "OnnxRuntime");
        }
    }
}
