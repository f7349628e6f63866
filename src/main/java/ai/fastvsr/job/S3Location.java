package ai.fastvsr.job;

import java.net.URI;
import java.net.URISyntaxException;

/** A bucket and key, parsed from an {@code s3://bucket/key} URI. Other schemes are rejected. */
public record S3Location(String bucket, String key) {

    public static S3Location parse(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + uri, e);
        }
        if (!"s3".equals(parsed.getScheme())) {
            throw new IllegalArgumentException("only s3:// URIs are accepted, got: " + uri);
        }
        String bucket = parsed.getHost();
        String path = parsed.getPath();
        if (bucket == null || bucket.isEmpty() || path == null || path.length() < 2) {
            throw new IllegalArgumentException("expected s3://bucket/key, got: " + uri);
        }
        return new S3Location(bucket, path.substring(1));
    }

    /**
     * {@code s3://bucket/key} with the key percent-encoded where a URI needs it (a space becomes %20), so that
     * {@link #parse} gives back the exact key.
     */
    public String uri() {
        try {
            return new URI("s3", bucket, "/" + key, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make an s3 URI of bucket " + bucket + ", key " + key, e);
        }
    }

    @Override
    public String toString() {
        return uri();
    }
}
