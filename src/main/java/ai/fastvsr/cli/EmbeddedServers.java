package ai.fastvsr.cli;

/**
 * Whether this jar carries the embedded Kafka broker and S3 server. The slim worker jar (images, k8s) leaves them
 * out; {@code demo} and {@code serve --embedded} ask here first, so the slim jar says which jar to use instead of
 * failing with a missing class.
 */
final class EmbeddedServers {
    private static final String[] NEEDED = {
        "ai/fastvsr/embedded/EmbeddedStack.class",
        "kafka/server/KafkaRaftServer.class",
        "org/gaul/s3proxy/S3Proxy.class"
    };

    private EmbeddedServers() {}

    static boolean present() {
        ClassLoader loader = EmbeddedServers.class.getClassLoader();
        for (String name : NEEDED) {
            if (loader.getResource(name) == null) {
                return false;
            }
        }
        return true;
    }

    static void require(String what) {
        if (!present()) {
            throw new IllegalStateException(what + " needs the embedded Kafka broker and S3 server, which this slim "
                    + "worker jar leaves out: run it with the all-in-one jar, fastvsr-worker.jar (mvn package builds "
                    + "both). The slim jar runs worker, upscale, bench, submit and watch.");
        }
    }
}
