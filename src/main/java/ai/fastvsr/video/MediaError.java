package ai.fastvsr.video;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.global.avutil;

/** Failures of FFmpeg on an input, mapped to the job error codes. */
public final class MediaError {
    private MediaError() {}

    public static Failure corrupt(String what, Throwable cause) {
        return new Failure(ErrorCode.CORRUPT_MEDIA, false, Phase.DECODING, what, cause);
    }

    /** AVERROR(EAGAIN) on Linux: a codec wants more input (or has no output yet). */
    static final int AGAIN = -11;

    /** FFmpeg's own words for an error code ("Invalid data found when processing input (-1094995529)"). */
    static String describe(int code) {
        byte[] buf = new byte[256];
        avutil.av_strerror(code, buf, buf.length);
        String text =
                new String(buf, StandardCharsets.US_ASCII).replace("\0", "").trim();
        return text + " (" + code + ")";
    }

    public static Failure unsupported(String what) {
        return new Failure(ErrorCode.UNSUPPORTED_MEDIA, false, Phase.DECODING, what, null);
    }
}
