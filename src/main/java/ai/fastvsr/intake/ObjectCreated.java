package ai.fastvsr.intake;

import java.util.Map;

/**
 * One "object created" record of a bucket notification, with the key already URL-decoded.
 *
 * @param versionId null when the bucket is not versioned
 * @param userMetadata the object's user metadata as the notification carries it (e.g. {@code X-Amz-Meta-Asset-Id})
 */
public record ObjectCreated(
        String eventName,
        String bucket,
        String key,
        String versionId,
        String eTag,
        long size,
        String sequencer,
        Map<String, String> userMetadata) {
    public ObjectCreated {
        userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
    }
}
