package ai.fastvsr.intake;

import java.net.URI;
import java.net.URISyntaxException;
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

    private OutputTemplate() {
    }

    static void validate(String template) {
        if (template == null || !template.startsWith("s3://") || template.indexOf('/', 5) < 0) {
            throw new IllegalArgumentException("intake output template must look like s3://bucket/..., got: " + template);
        }
        Matcher unknown = ANY.matcher(PLACEHOLDER.matcher(template).replaceAll(""));
        if (unknown.find()) {
            throw new IllegalArgumentException("unknown placeholder " + unknown.group() + " in " + template);
        }
    }

    static String apply(String template, ObjectCreated o, String jobId) {
        String withoutExt = withoutExtension(o.key());
        String name = withoutExt.substring(withoutExt.lastIndexOf('/') + 1);
        Map<String, String> values = Map.of("bucket", o.bucket(), "key", o.key(), "keyWithoutExtension", withoutExt,
                "name", name, "jobId", jobId);
        String raw = PLACEHOLDER.matcher(template).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1))));
        int slash = raw.indexOf('/', 5);
        return s3Uri(raw.substring(5, slash), raw.substring(slash + 1));
    }

    /** {@code s3://bucket/key} with the key percent-encoded where a URI needs it. */
    static String s3Uri(String bucket, String key) {
        try {
            return new URI("s3", bucket, "/" + key, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make an s3 URI of bucket " + bucket + ", key " + key, e);
        }
    }

    static String withoutExtension(String key) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        return dot > slash + 1 ? key.substring(0, dot) : key;
    }
}
