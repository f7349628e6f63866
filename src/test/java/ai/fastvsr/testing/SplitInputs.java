package ai.fastvsr.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Inputs for split tests, made by Debian's ffmpeg: moving content (testsrc2) at 24 fps with a keyframe every 12
 * frames (closed GOPs with B-frames, x264's defaults), a variable-frame-rate section every 30 s, AAC audio, a
 * mov_text subtitle track (a cue a second) and two chapters.
 */
public final class SplitInputs {
    private SplitInputs() {}

    /**
     * Frames {@code 30..59} of every 720 (30 s) are shown 15 ms late every third frame: their spacing is 56.7, 41.7,
     * 26.7 ms.
     */
    public static void make(Path out, int width, int height, double seconds) throws IOException {
        make(out, width, height, seconds, false);
    }

    /**
     * @param losslessTrack a second audio track of 8-channel 96 kHz 32-bit PCM (3 MB/s, as a film's lossless
     *                      master track), Matroska outputs only: it makes the input large while its video stays cheap
     */
    public static void make(Path out, int width, int height, double seconds, boolean losslessTrack) throws IOException {
        make(out, width, height, seconds, losslessTrack, 12);
    }

    /** @param keyint the input's keyframe interval in frames (no keyframes at scene changes) */
    public static void make(Path out, int width, int height, double seconds, boolean losslessTrack, int keyint)
            throws IOException {
        boolean mkv = out.getFileName().toString().endsWith(".mkv");
        Path srt = out.resolveSibling(out.getFileName() + ".srt");
        StringBuilder subs = new StringBuilder();
        for (int i = 0; i < (int) seconds; i++) {
            String at = String.format("00:%02d:%02d", i / 60, i % 60);
            subs.append(i + 1)
                    .append(String.format("%n%s,100 --> %s,900%n", at, at))
                    .append("line ")
                    .append(i + 1)
                    .append("\n\n");
        }
        Files.writeString(srt, subs);
        Path chapters = out.resolveSibling(out.getFileName() + ".chapters");
        Files.writeString(
                chapters,
                ";FFMETADATA1\ntitle=split test\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=Opening\n"
                        + "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=" + Math.round(seconds * 1000)
                        + "\ntitle=Rest\n");
        List<String> command = new ArrayList<>(List.of(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=24",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-i",
                srt.toString(),
                "-i",
                chapters.toString(),
                "-f",
                "lavfi",
                "-i",
                "anoisesrc=sample_rate=96000:amplitude=0.1",
                "-map_metadata",
                "3",
                "-map_chapters",
                "3",
                "-t",
                String.valueOf(seconds),
                "-map",
                "0:v",
                "-map",
                "1:a",
                "-map",
                "2:s"));
        if (losslessTrack) {
            command.addAll(List.of("-map", "4:a", "-c:a:1", "pcm_s32le", "-ac:a:1", "8"));
        }
        command.addAll(List.of(
                "-vf",
                "settb=1/12288,setpts='if(between(mod(N,720),30,59),PTS+184*mod(N,3),PTS)'",
                "-fps_mode",
                "passthrough",
                "-enc_time_base",
                "1/12288",
                "-c:v",
                "libx264",
                "-g",
                String.valueOf(keyint),
                "-sc_threshold",
                "0",
                "-pix_fmt",
                "yuv420p",
                "-c:a:0",
                "aac",
                "-c:s",
                mkv ? "srt" : "mov_text",
                out.toString()));
        Ffmpeg.run(command.toArray(String[]::new));
        Files.delete(srt);
        Files.delete(chapters);
    }
}
