package ai.fastvsr.video;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg prints stream dumps and encoder chatter to stderr by default; a worker's log wants errors only. */
final class FfmpegLog {
    private FfmpegLog() {}

    static void errorsOnly() {
        String level = System.getenv("FASTVSR_FFMPEG_LOG");
        avutil.av_log_set_level(
                "debug".equalsIgnoreCase(level)
                        ? avutil.AV_LOG_DEBUG
                        : "info".equalsIgnoreCase(level) ? avutil.AV_LOG_INFO : avutil.AV_LOG_ERROR);
    }
}
