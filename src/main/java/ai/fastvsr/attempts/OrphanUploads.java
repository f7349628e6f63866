package ai.fastvsr.attempts;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.job.S3Location;

/** Aborts every multipart upload in progress on one object key (the object store does it; tests may count). */
@FunctionalInterface
public interface OrphanUploads {
    /** @return how many were aborted */
    int abortAll(S3Location key) throws Failure;
}
