package ai.fastvsr.intake;

import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The MAM intake route's configuration (camel-routes/intake.yaml reads these as {@code fastvsr.intake.*}).
 *
 * @param bucket only notifications of this bucket; blank: any
 * @param prefix only keys starting with this; blank: any
 * @param suffixes only keys ending with one of these (case-insensitive); empty: any
 * @param outputTemplate where renditions go; see {@link OutputTemplate}
 * @param seenTopic compacted topic remembering which jobIds the intake already published
 */
public record IntakeSettings(
        boolean enabled,
        String topic,
        String group,
        String bucket,
        String prefix,
        List<String> suffixes,
        String outputTemplate,
        String seenTopic) {
    public static final String DEFAULT_OUTPUT = "s3://renditions/{keyWithoutExtension}.x4.mp4";
    public static final IntakeSettings DISABLED = new IntakeSettings(
            false, "minio.events", "fastvsr-intake", "", "", List.of(), DEFAULT_OUTPUT, "vsr.intake.seen");

    public IntakeSettings {
        bucket = bucket == null ? "" : bucket;
        prefix = prefix == null ? "" : prefix;
        suffixes = suffixes == null
                ? List.of()
                : suffixes.stream().filter(s -> !s.isBlank()).toList();
        OutputTemplate.validate(outputTemplate);
    }

    public Properties camelProperties() {
        Properties p = new Properties();
        p.setProperty("fastvsr.intake.enabled", String.valueOf(enabled));
        p.setProperty("fastvsr.intake.topic", topic);
        p.setProperty("fastvsr.intake.group", group);
        p.setProperty("fastvsr.intake.seenTopic", seenTopic);
        return p;
    }

    boolean accepts(ObjectCreated o) {
        if (!bucket.isEmpty() && !bucket.equals(o.bucket())) {
            return false;
        }
        if (!o.key().startsWith(prefix)) {
            return false;
        }
        String lower = o.key().toLowerCase(Locale.ROOT);
        return suffixes.isEmpty() || suffixes.stream().anyMatch(s -> lower.endsWith(s.toLowerCase(Locale.ROOT)));
    }
}
