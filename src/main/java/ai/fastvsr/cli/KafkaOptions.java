package ai.fastvsr.cli;

import picocli.CommandLine.Option;

/** Where Kafka and the job and event topics are: the same options for the worker and the job clients. */
final class KafkaOptions {
    @Option(
            names = "--kafka",
            defaultValue = "${env:FASTVSR_KAFKA_BROKERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env FASTVSR_KAFKA_BROKERS; default ${DEFAULT-VALUE})")
    String brokers;

    @Option(
            names = "--jobs-topic",
            defaultValue = "${env:FASTVSR_JOBS_TOPIC:-vsr.jobs}",
            description = "job topic (env FASTVSR_JOBS_TOPIC; default ${DEFAULT-VALUE})")
    String jobsTopic;

    @Option(
            names = "--events-topic",
            defaultValue = "${env:FASTVSR_EVENTS_TOPIC:-vsr.events}",
            description = "event topic (env FASTVSR_EVENTS_TOPIC; default ${DEFAULT-VALUE})")
    String eventsTopic;
}
