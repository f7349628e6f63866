package ai.fastvsr.failure;

/** Where a job is, as reported in progress and failed events. */
public enum Phase {
    VALIDATING,
    DOWNLOADING,
    DECODING,
    INFERENCE,
    ENCODING,
    UPLOADING,
    /** A split parent cuts its input into segments and publishes their child jobs. */
    SPLITTING,
    /** A split parent's children are done, and their renditions are joined into the parent's output. */
    JOINING
}
