package ai.fastvsr.storage;

/** Where the object store is and how to sign in. The secret never appears in {@link #toString()}. */
public record S3Settings(String endpoint, String accessKey, String secretKey, String region) {
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", region=" + region + "]";
    }
}
