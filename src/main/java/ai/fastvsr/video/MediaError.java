package ai.fastvsr.video;

import ai.fastvsr.job.ErrorCode;
import ai.fastvsr.job.JobFailure;
import ai.fastvsr.job.Phase;

/** Failures of FFmpeg on an input, mapped to the job error codes. */
public final class MediaError {
    private MediaError() {
    }

    public static JobFailure corrupt(String what, Throwable cause) {
        return new JobFailure(ErrorCode.CORRUPT_MEDIA, false, Phase.DECODING, what, cause);
    }

    public static JobFailure unsupported(String what) {
        return new JobFailure(ErrorCode.UNSUPPORTED_MEDIA, false, Phase.DECODING, what, null);
    }
}
