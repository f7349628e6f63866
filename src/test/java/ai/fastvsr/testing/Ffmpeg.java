package ai.fastvsr.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system's ffmpeg and ffprobe (Debian's), used by tests to make inputs and to judge outputs independently of
 * the worker's own FFmpeg (JavaCV) code.
 */
public final class Ffmpeg {
    private Ffmpeg() {}

    /** An H.264 + AAC test clip: lavfi's testsrc2 pattern (motion, edges, text) and a sine tone. */
    public static void makeClip(Path out, int width, int height, int fps, double seconds) throws IOException {
        run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t",
                String.valueOf(seconds),
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-crf",
                "12",
                "-c:a",
                "aac",
                "-shortest",
                out.toString());
    }

    /** The first subtitle track as SubRip text: cues and their times, whatever the container's format. */
    public static String subtitlesAsSrt(Path file) throws IOException {
        return run("ffmpeg", "-v", "error", "-i", file.toString(), "-map", "0:s:0", "-f", "srt", "-");
    }

    /** The chapters as "start end title" lines (seconds as ffprobe prints them). */
    public static List<String> chapters(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode c : probeWith(file, "-show_chapters").path("chapters")) {
            out.add(c.path("start_time").asText() + " " + c.path("end_time").asText() + " "
                    + c.path("tags").path("title").asText());
        }
        return out;
    }

    /** The MD5 of every decoded video frame, in presentation order ({@code -f framemd5}). */
    public static List<String> frameMd5(Path file) throws IOException {
        List<String> md5 = new ArrayList<>();
        for (String line : run("ffmpeg", "-v", "error", "-i", file.toString(), "-map", "0:v:0", "-f", "framemd5", "-")
                .split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] f = line.split(",");
                md5.add(f[f.length - 1].trim());
            }
        }
        return md5;
    }

    /** {@code ffprobe -show_streams -show_format -count_frames} as JSON. */
    public static JsonNode probe(Path file) throws IOException {
        String out = run(
                "ffprobe",
                "-v",
                "error",
                "-count_frames",
                "-show_streams",
                "-show_format",
                "-of",
                "json",
                file.toString());
        return new ObjectMapper().readTree(out);
    }

    /** {@code ffprobe -v error OPTIONS -of json FILE}: e.g. {@code -show_chapters}, or frames with {@code -show_entries}. */
    public static JsonNode probeWith(Path file, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        command.addAll(List.of(options));
        command.addAll(List.of("-of", "json", file.toString()));
        return new ObjectMapper().readTree(run(command.toArray(String[]::new)));
    }

    /** Every stream of one codec_type ("audio", "subtitle"...), in file order. */
    public static List<JsonNode> streams(JsonNode probe, String type) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode s : probe.path("streams")) {
            if (type.equals(s.path("codec_type").asText())) {
                found.add(s);
            }
        }
        return found;
    }

    /** The first video frame decoded by the ffmpeg CLI as raw planes of {@code pixFmt} (e.g. yuv420p, yuv420p10le). */
    public static byte[] firstFrame(Path file, String pixFmt) throws IOException {
        return runBytes(
                "ffmpeg",
                "-v",
                "error",
                "-i",
                file.toString(),
                "-map",
                "0:v:0",
                "-frames:v",
                "1",
                "-f",
                "rawvideo",
                "-pix_fmt",
                pixFmt,
                "-");
    }

    /**
     * The SHA-256 of one stream's packets as stored (stream copy into ffmpeg's streamhash muxer), e.g. for
     * {@code streamSpec} "0:a:1": equal hashes mean bit-identical packet payloads in the same order.
     */
    public static String packetHash(Path file, String streamSpec) throws IOException {
        return run(
                        "ffmpeg",
                        "-v",
                        "error",
                        "-i",
                        file.toString(),
                        "-map",
                        streamSpec,
                        "-c",
                        "copy",
                        "-f",
                        "streamhash",
                        "-")
                .trim();
    }

    /**
     * PSNR (dB, average of the planes, as ffmpeg's psnr filter computes it; infinity for identical frames) of
     * {@code frames} video frames of {@code a} from its frame {@code firstA} against those of {@code b} from
     * {@code firstB}, frame by frame.
     */
    public static List<Double> framePsnr(Path a, int firstA, Path b, int firstB, int frames) throws IOException {
        String graph = "[0:v]trim=start_frame=" + firstA + ":end_frame=" + (firstA + frames)
                + ",setpts=PTS-STARTPTS[a];[1:v]trim=start_frame=" + firstB + ":end_frame=" + (firstB + frames)
                + ",setpts=PTS-STARTPTS[b];[a][b]psnr=stats_file=-";
        String stats = run(
                "ffmpeg", "-v", "error", "-i", a.toString(), "-i", b.toString(), "-lavfi", graph, "-f", "null", "-");
        List<Double> psnr = new ArrayList<>();
        for (String line : stats.split("\n")) {
            for (String field : line.trim().split(" ")) {
                if (field.startsWith("psnr_avg:")) {
                    String v = field.substring("psnr_avg:".length());
                    psnr.add(v.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v));
                }
            }
        }
        if (psnr.size() != frames) {
            throw new IllegalStateException("psnr filter compared " + psnr.size() + " frames, not " + frames);
        }
        return psnr;
    }

    public static JsonNode stream(JsonNode probe, String type) {
        for (JsonNode s : probe.path("streams")) {
            if (type.equals(s.path("codec_type").asText())) {
                return s;
            }
        }
        return null;
    }

    /** Every video frame as packed RGB24, decoded by the ffmpeg CLI with bilinear chroma upsampling. */
    public static List<byte[]> decodeRgb(Path file, int width, int height) throws IOException {
        byte[] all = runBytes(
                "ffmpeg",
                "-v",
                "error",
                "-sws_flags",
                "bilinear",
                "-i",
                file.toString(),
                "-f",
                "rawvideo",
                "-pix_fmt",
                "rgb24",
                "-");
        return split(all, width, height);
    }

    private static List<byte[]> split(byte[] all, int width, int height) {
        int frameBytes = width * height * 3;
        if (all.length % frameBytes != 0) {
            throw new IllegalStateException(
                    all.length + " bytes is not a whole number of " + width + "x" + height + " frames");
        }
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < all.length; off += frameBytes) {
            byte[] f = new byte[frameBytes];
            System.arraycopy(all, off, f, 0, frameBytes);
            frames.add(f);
        }
        return frames;
    }

    /**
     * Frames as they come back from being stored as yuv420p (converted by the ffmpeg CLI, no codec): what any
     * 4:2:0 output of the same pictures is bounded by. testsrc2's saturated colour edges lose ~4 dB here alone.
     */
    public static List<byte[]> throughYuv420(List<byte[]> frames, int width, int height, Path scratch)
            throws IOException {
        Path raw = scratch.resolve("frames.rgb");
        try (var out = Files.newOutputStream(raw)) {
            for (byte[] f : frames) {
                out.write(f);
            }
        }
        byte[] all = runBytes(
                "ffmpeg",
                "-v",
                "error",
                "-sws_flags",
                "bilinear",
                "-f",
                "rawvideo",
                "-pix_fmt",
                "rgb24",
                "-s",
                width + "x" + height,
                "-i",
                raw.toString(),
                "-vf",
                "format=yuv420p",
                "-f",
                "rawvideo",
                "-pix_fmt",
                "rgb24",
                "-");
        return split(all, width, height);
    }

    public static String run(String... command) throws IOException {
        return new String(runBytes(command), StandardCharsets.UTF_8);
    }

    public static byte[] runBytes(String... command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errPump = new Thread(() -> copy(p.getErrorStream(), err));
        errPump.start();
        copy(p.getInputStream(), out);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
            errPump.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + err.toString(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the exit code tells
        }
    }
}
