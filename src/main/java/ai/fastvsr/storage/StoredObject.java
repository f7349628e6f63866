package ai.fastvsr.storage;

/** An object as the store reported it after upload. */
public record StoredObject(String etag, String versionId, long sizeBytes) {}
