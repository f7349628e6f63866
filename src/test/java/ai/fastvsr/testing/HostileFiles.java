package ai.fastvsr.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Inputs a worker must survive, made on the spot from ffmpeg output and plain bytes. */
public final class HostileFiles {
    private HostileFiles() {}

    public static Path empty(Path dir) throws IOException {
        return Files.write(dir.resolve("empty.mp4"), new byte[0]);
    }

    public static Path randomBytes(Path dir) throws IOException {
        byte[] junk = new byte[64 * 1024];
        new Random(42).nextBytes(junk);
        return Files.write(dir.resolve("random.mp4"), junk);
    }

    /** A real MP4 cut in half: ffmpeg writes the moov index at the end, so the cut loses it. */
    public static Path truncated(Path dir) throws IOException {
        Path whole = dir.resolve("whole.mp4");
        Ffmpeg.makeClip(whole, 64, 48, 10, 2.0);
        byte[] bytes = Files.readAllBytes(whole);
        return Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
    }

    /**
     * A streamable MP4 (index first) cut at 60 %: it opens fine and breaks while decoding, after frames were already
     * encoded into the output.
     */
    public static Path truncatedStreamable(Path dir) throws IOException {
        Path whole = dir.resolve("whole-faststart.mp4");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=160x96:rate=25",
                "-t",
                "4",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-movflags",
                "+faststart",
                whole.toString());
        byte[] bytes = Files.readAllBytes(whole);
        return Files.write(dir.resolve("truncated-streamable.mp4"), Arrays.copyOf(bytes, bytes.length * 6 / 10));
    }

    /** A YUV4MPEG2 header claiming {@code w} x {@code h} pixels, followed by a few bytes of "frame". */
    public static Path bigHeader(Path dir, int w, int h) throws IOException {
        byte[] header =
                ("YUV4MPEG2 W" + w + " H" + h + " F25:1 Ip A1:1 C420jpeg\nFRAME\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(header, header.length + 4096);
        return Files.write(dir.resolve("claims-" + w + "x" + h + ".y4m"), out);
    }

    /** An HLS playlist whose segment is a valid video elsewhere on this disk: FFmpeg must not follow it. */
    public static Path hlsPlaylist(Path dir, Path target) throws IOException {
        String m3u8 = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nfile://"
                + target.toAbsolutePath() + "\n#EXTINF:2.0,\n" + target.toAbsolutePath() + "\n#EXT-X-ENDLIST\n";
        return Files.writeString(dir.resolve("playlist.m3u8"), m3u8);
    }

    /** An ffconcat script naming a valid video elsewhere on this disk. */
    public static Path ffconcat(Path dir, Path target) throws IOException {
        return Files.writeString(
                dir.resolve("list.ffconcat"), "ffconcat version 1.0\nfile '" + target.toAbsolutePath() + "'\n");
    }

    public static Path audioOnly(Path dir) throws IOException {
        Path out = dir.resolve("audio.m4a");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t",
                "1",
                "-c:a",
                "aac",
                out.toString());
        return out;
    }

    public static Path singleFrame(Path dir) throws IOException {
        Path out = dir.resolve("one.mp4");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=25",
                "-frames:v",
                "1",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                out.toString());
        return out;
    }

    /**
     * Half a second of video in Matroska whose Segment Duration claims two hours (the element FFmpeg reports as the
     * file's duration).
     */
    public static Path longClaim(Path dir) throws IOException {
        Path clip = dir.resolve("short.mkv");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=10",
                "-t",
                "0.5",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                clip.toString());
        byte[] b = Files.readAllBytes(clip);
        ByteBuffer buf = ByteBuffer.wrap(b);
        boolean patched = false;
        for (int i = 0; i + 10 < b.length && !patched; i++) {
            // EBML element 0x4489 (Duration), size 8 (0x88): a big-endian double in TimecodeScale units (ms)
            if ((b[i] & 0xff) == 0x44 && (b[i + 1] & 0xff) == 0x89 && (b[i + 2] & 0xff) == 0x88) {
                buf.putDouble(i + 3, 7_200_000.0);
                patched = true;
            } else if ((b[i] & 0xff) == 0x44 && (b[i + 1] & 0xff) == 0x89 && (b[i + 2] & 0xff) == 0x84) {
                buf.putFloat(i + 3, 7_200_000f);
                patched = true;
            }
        }
        if (!patched) {
            throw new IllegalStateException("no Duration element found in " + clip);
        }
        return Files.write(dir.resolve("long-claim.mkv"), b);
    }
}
