package ai.fastvsr.intake;

import ai.fastvsr.job.JobIds;
import ai.fastvsr.job.S3Location;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives a rendition's location from the uploaded object's: {@code s3://renditions/{keyWithoutExtension}.x4.mp4}.
 * Placeholders: {@code {bucket}}, {@code {key}}, {@code {keyWithoutExtension}}, {@code {name}} (file name without
 * extension), {@code {jobId}}. Keys may hold any character, so the result is re-encoded as a proper URI (a space
 * becomes %20), which the worker's S3 URI parser decodes back to the exact key.
 */
public final class OutputTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(bucket|key|keyWithoutExtension|name|jobId)}");
    private static final Pattern ANY = Pattern.compile("\\{[^}]*}");

    private OutputTemplate() {}

    static void validate(String template) {
        if (template == null || !template.startsWith("s3://") || template.indexOf('/', 5) < 0) {
            throw new IllegalArgumentException(
                    "intake output template must look like s3://bucket/..., got: " + template);
        }
        Matcher unknown = ANY.matcher(PLACEHOLDER.matcher(template).replaceAll(""));
        if (unknown.find()) {
            throw new IllegalArgumentException("unknown placeholder " + unknown.group() + " in " + template);
        }
    }

    static String apply(String template, ObjectCreated o, String jobId) {
        return apply(template, o.bucket(), o.key(), jobId);
    }

    /** The rendition's URI for the input {@code bucket}/{@code key} (also submit's default output). */
    public static String apply(String template, String bucket, String key, String jobId) {
        String withoutExt = JobIds.withoutExtension(key);
        String name = withoutExt.substring(withoutExt.lastIndexOf('/') + 1);
        Map<String, String> values =
                Map.of("bucket", bucket, "key", key, "keyWithoutExtension", withoutExt, "name", name, "jobId", jobId);
        String raw = PLACEHOLDER.matcher(template).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1))));
        int slash = raw.indexOf('/', 5);
        return new S3Location(raw.substring(5, slash), raw.substring(slash + 1)).uri();
    }
}
