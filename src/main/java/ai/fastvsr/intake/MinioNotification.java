package ai.fastvsr.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a bucket notification as MinIO's Kafka target publishes it: value {@code {EventName, Key, Records:[...]}}
 * with S3-style records (the same record layout AWS S3 uses, so a bare {@code {Records:[...]}} also reads).
 * Keeps only object-created records; the rest (removals, replication, ...) are not work for us.
 */
public final class MinioNotification {
    private MinioNotification() {}

    public static List<ObjectCreated> objectsCreated(JsonNode notification) {
        List<ObjectCreated> out = new ArrayList<>();
        for (JsonNode r : notification.path("Records")) {
            String eventName = r.path("eventName").asText("");
            // MinIO writes "s3:ObjectCreated:Put", AWS "ObjectCreated:Put"
            String bare = eventName.startsWith("s3:") ? eventName.substring(3) : eventName;
            if (!bare.startsWith("ObjectCreated:")) {
                continue;
            }
            JsonNode s3 = r.path("s3");
            JsonNode object = s3.path("object");
            String bucket = s3.path("bucket").path("name").asText(null);
            String key = object.path("key").asText(null);
            if (bucket == null || key == null || key.isEmpty()) {
                continue;
            }
            out.add(new ObjectCreated(
                    eventName,
                    bucket,
                    decodeKey(key),
                    textOrNull(object.path("versionId")),
                    stripQuotes(textOrNull(object.path("eTag"))),
                    object.path("size").asLong(-1),
                    textOrNull(object.path("sequencer")),
                    strings(object.path("userMetadata"))));
        }
        return out;
    }

    /**
     * Keys arrive URL-encoded as by Go's url.QueryEscape (MinIO) or form encoding (AWS): {@code %2F} for '/',
     * '+' for a space, {@code %2B} for a real '+'.
     */
    static String decodeKey(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }

    private static String textOrNull(JsonNode n) {
        // an unversioned bucket may say "" or "null" instead of leaving the field out
        if (!n.isTextual() || n.asText().isEmpty() || n.asText().equals("null")) {
            return null;
        }
        return n.asText();
    }

    private static String stripQuotes(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                m.put(e.getKey(), e.getValue().asText());
            }
        });
        return m;
    }
}
