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
    /**
     * The job took its worker's process down (native crash, OOM kill, GPU reset) on as many attempts as the fleet
     * allows: it is quarantined, never run again, its original copied to the dead-letter topic. Not retryable.
     */
    CRASH_LOOP,
    INTERNAL
}
