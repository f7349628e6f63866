package ai.fastvsr.testing;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.worker.WorkerSettings.Topics;

/** A KRaft broker and S3Proxy inside the test JVM: what runs here and in CI, where no Docker engine exists. */
final class InProcessServers implements TestServers {
    private final EmbeddedStack stack;

    private InProcessServers(EmbeddedStack stack) {
        this.stack = stack;
    }

    static TestServers start(Topics topics, int partitions) throws Exception {
        return new InProcessServers(EmbeddedStack.start(0, 0, topics, partitions));
    }

    @Override
    public String kafkaBootstrap() {
        return stack.kafkaBootstrap();
    }

    @Override
    public S3Settings s3() {
        return stack.s3();
    }

    @Override
    public String mode() {
        return "inprocess";
    }

    @Override
    public void close() throws Exception {
        stack.close();
    }
}
