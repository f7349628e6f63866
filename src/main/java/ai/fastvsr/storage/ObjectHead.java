package ai.fastvsr.storage;

import java.util.Map;

/**
 * An existing object as a HEAD request sees it: what the store says about it, and apart from that the user
 * metadata its writer attached (keys lower-case), so a user key named like a store field cannot shadow it.
 */
public record ObjectHead(StoredObject object, Map<String, String> userMetadata) {
    public ObjectHead {
        userMetadata = Map.copyOf(userMetadata);
    }
}
