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

    /**
     * FFmpeg's own words for the error code inside a JavaCV exception ("Invalid data found when processing
     * input"), without JavaCV's local paths and hints, which mean nothing to the job's producer.
     */
    static String ffmpegReason(Throwable e) {
        String message = String.valueOf(e.getMessage());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("error (-?\\d+)").matcher(message);
        if (m.find()) {
            int code = Integer.parseInt(m.group(1));
            byte[] buf = new byte[256];
            org.bytedeco.ffmpeg.global.avutil.av_strerror(code, buf, buf.length);
            String text = new String(buf, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
            return text + " (" + code + ")";
        }
        return message;
    }

    public static JobFailure unsupported(String what) {
        return new JobFailure(ErrorCode.UNSUPPORTED_MEDIA, false, Phase.DECODING, what, null);
    }
}
