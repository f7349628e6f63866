package ai.fastvsr.failure;

/** The stable error codes of the {@code failed} event: consumers switch on these, so never rename one. */
public enum ErrorCode {
    INVALID_JOB,
    INPUT_NOT_FOUND,
    ACCESS_DENIED,
    UNSUPPORTED_MEDIA,
    CORRUPT_MEDIA,
    LIMIT_EXCEEDED,
    MODEL_ERROR,
    STORAGE_ERROR,
    /** The GPU ran out of memory mid-job (retryable: another worker, or this one later, may have room). */
    GPU_OUT_OF_MEMORY,
    INTERNAL
}
