package ai.fastvsr.cli;

import ai.fastvsr.embedded.EmbeddedS3;
import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.worker.WorkerApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run a worker until Ctrl-C. With --embedded, also a Kafka broker and an S3 server in this "
                    + "process, on loopback, for any Kafka or S3 client to drive:",
            "  Kafka 127.0.0.1:9092, topics vsr.jobs, vsr.events, vsr.jobs.dlq",
            "  S3 http://127.0.0.1:9000, access key fastvsr, secret key fastvsr-secret, "
                    + "buckets ingest and renditions"
        })
final class ServeCommand implements Callable<Integer> {
    @Mixin
    WorkerOptions options;

    @Option(names = "--embedded", description = "start embedded Kafka and S3 (nothing persists after exit)")
    boolean embedded;

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "embedded Kafka port (default ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--s3-port", defaultValue = "9000", description = "embedded S3 port (default ${DEFAULT-VALUE})")
    int s3Port;

    @Option(
            names = "--partitions",
            defaultValue = "6",
            description = "partitions of the job topic (default ${DEFAULT-VALUE})")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (!embedded) {
            return WorkerCommand.onSigterm(WorkerApp.start(options.settings(null, null)))
                    .awaitStop();
        }
        EmbeddedServers.require("serve --embedded");
        EmbeddedStack stack = EmbeddedStack.start(kafkaPort, s3Port, options.topics(), partitions);
        WorkerApp app;
        try {
            app = WorkerApp.start(options.settings(stack.kafkaBootstrap(), stack.s3()));
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        WorkerCommand.Drain drain = WorkerCommand.onSigterm(app, stack);
        System.out.printf(
                "%nfastvsr-worker is serving. Ctrl-C stops it.%n"
                        + "  Kafka  %s   topics %s -> %s (dead letters: %s)%n"
                        + "  S3     %s   access key %s, secret key %s, buckets %s, %s%n%n",
                stack.kafkaBootstrap(),
                options.kafka.jobsTopic,
                options.kafka.eventsTopic,
                options.dlqTopic,
                stack.s3().endpoint(),
                EmbeddedS3.DEFAULT_ACCESS_KEY,
                EmbeddedS3.DEFAULT_SECRET_KEY,
                EmbeddedStack.INGEST_BUCKET,
                EmbeddedStack.RENDITIONS_BUCKET);
        return drain.awaitStop();
    }
}
