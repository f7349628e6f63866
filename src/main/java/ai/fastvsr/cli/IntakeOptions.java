package ai.fastvsr.cli;

import ai.fastvsr.intake.IntakeSettings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the MAM intake route (camel-routes/intake.yaml); mixed into the worker's options. */
final class IntakeOptions {
    @Option(
            names = "--intake",
            arity = "0..1",
            defaultValue = "${env:FASTVSR_INTAKE_ENABLED:-false}",
            description = "turn bucket notifications into jobs (env FASTVSR_INTAKE_ENABLED; default ${DEFAULT-VALUE})")
    boolean enabled;

    @Option(
            names = "--intake-topic",
            defaultValue = "${env:FASTVSR_INTAKE_TOPIC:-minio.events}",
            description = "topic of the bucket notifications (env FASTVSR_INTAKE_TOPIC; default ${DEFAULT-VALUE})")
    String topic;

    @Option(
            names = "--intake-group",
            defaultValue = "${env:FASTVSR_INTAKE_GROUP:-fastvsr-intake}",
            description = "consumer group of the intake (env FASTVSR_INTAKE_GROUP; default ${DEFAULT-VALUE})")
    String group;

    @Option(
            names = "--intake-bucket",
            defaultValue = "${env:FASTVSR_INTAKE_BUCKET:-}",
            description = "only this bucket (env FASTVSR_INTAKE_BUCKET; default: any)")
    String bucket;

    @Option(
            names = "--intake-prefix",
            defaultValue = "${env:FASTVSR_INTAKE_PREFIX:-}",
            description = "only keys with this prefix (env FASTVSR_INTAKE_PREFIX; default: any)")
    String prefix;

    @Option(
            names = "--intake-suffix",
            split = ",",
            defaultValue = "${env:FASTVSR_INTAKE_SUFFIX:-}",
            description =
                    "only keys ending so, comma-separated, case-insensitive (env FASTVSR_INTAKE_SUFFIX; default: any)")
    List<String> suffixes = new ArrayList<>();

    @Option(
            names = "--intake-output",
            defaultValue = "${env:FASTVSR_INTAKE_OUTPUT:-" + IntakeSettings.DEFAULT_OUTPUT + "}",
            description = "rendition location; placeholders {bucket} {key} {keyWithoutExtension} {name} {jobId} "
                    + "(env FASTVSR_INTAKE_OUTPUT; default ${DEFAULT-VALUE})")
    String output;

    @Option(
            names = "--intake-seen-topic",
            defaultValue = "${env:FASTVSR_INTAKE_SEEN_TOPIC:-vsr.intake.seen}",
            description =
                    "compacted topic of jobIds already published (env FASTVSR_INTAKE_SEEN_TOPIC; default ${DEFAULT-VALUE})")
    String seenTopic;

    IntakeSettings settings() {
        return new IntakeSettings(enabled, topic, group, bucket, prefix, suffixes, output, seenTopic);
    }
}
