package ai.fastvsr.failure;

/** Where a job is, as reported in progress and failed events. */
public enum Phase {
    VALIDATING,
    DOWNLOADING,
    DECODING,
    INFERENCE,
    ENCODING,
    UPLOADING
}
