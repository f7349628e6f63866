package ai.fastvsr.intake;

/**
 * Bucket notifications shaped like MinIO's Kafka target writes them (RELEASE.2025 series): record value
 * {@code {EventName, Key, Records:[...]}}, key URL-encoded as Go's url.QueryEscape does, quoted-less eTag,
 * versionId only on versioned buckets.
 */
final class MinioEvents {
    private MinioEvents() {}

    /** The Kafka record key MinIO uses: {@code bucket/object} (object as uploaded, not encoded). */
    static String recordKey(String bucket, String key) {
        return bucket + "/" + key;
    }

    static String objectCreated(
            String eventName, String bucket, String encodedKey, String eTag, String versionId, String sequencer) {
        String version = versionId == null ? "" : ",\"versionId\":\"" + versionId + "\"";
        return """
                {"EventName":"%1$s","Key":"%2$s/%3$s","Records":[{"eventVersion":"2.0","eventSource":"minio:s3",
                "awsRegion":"","eventTime":"2026-11-25T10:15:30.123Z","eventName":"%1$s",
                "userIdentity":{"principalId":"fastvsr"},
                "requestParameters":{"principalId":"fastvsr","region":"","sourceIPAddress":"172.18.0.1"},
                "responseElements":{"x-amz-id-2":"dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8",
                  "x-amz-request-id":"187B2AF5C3F1A2E4","x-minio-deployment-id":"5c7c2b63-9a5d-4d0b-9f8e-7d51c0a1b2c3",
                  "x-minio-origin-endpoint":"http://172.18.0.3:9000"},
                "s3":{"s3SchemaVersion":"1.0","configurationId":"Config",
                  "bucket":{"name":"%2$s","ownerIdentity":{"principalId":"fastvsr"},"arn":"arn:aws:s3:::%2$s"},
                  "object":{"key":"%3$s","size":1048576,"eTag":"%4$s","contentType":"video/mp4",
                    "userMetadata":{"content-type":"video/mp4","X-Amz-Meta-Asset-Id":"A-77"}%5$s,
                    "sequencer":"%6$s"}},
                "source":{"host":"172.18.0.1","port":"","userAgent":"MinIO (linux; amd64) minio-go/v7.0.90"}}]}
                """.formatted(eventName, bucket, encodedKey, eTag, version, sequencer);
    }
}
