package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.pipeline.UpscalePipeline;
import ai.fastvsr.pipeline.UpscaleStats;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.FrameTimes;
import ai.fastvsr.video.EncodeSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media fidelity of the frame path, file to file with the bilinear reference model: what the input says about time,
 * streams and colour must be true of the 4x output. Inputs are made, and outputs judged, only by Debian's ffmpeg and
 * ffprobe, never by the worker's own (JavaCV) FFmpeg code. Each test first checks that its input really has the
 * property in question, so none can pass on an input that makes it trivial.
 *
 * <ul>
 * <li>{@link #variableFrameTimingIsKept()}: a VFR input (frame spacing 55, 55, 10 ms over and over) comes out with
 * the same number of frames and, frame for frame, the same presentation times (exactly, after rescaling to the
 * output stream's time base with round-to-nearest). A CFR encoder that numbers frames 0, 1, 2... fails it.</li>
 * <li>{@link #audioSubtitleTracksAndChaptersAreKept()}: two AAC tracks (eng 440 Hz at 48 kHz, deu 880 Hz at
 * 44.1 kHz), a mov_text subtitle track (fra) and three chapters all survive: same number of audio and subtitle
 * streams, same language per stream in order, same subtitle text and timing, same chapter titles and times, and
 * each audio track's packets bit-identical to the input's (copied, not re-encoded).</li>
 * <li>{@link #bt709BarsKeepTheirTagsAndValues()} and {@link #bt601BarsKeepTheirTagsAndValues()}: limited-range 75%
 * colour bars coded with the BT.709 and with the BT.601 (smpte170m) matrix keep their colour tags (matrix,
 * transfer, primaries, range), and the mean Y, U and V of every bar's interior stay within 2 code values. The two
 * matrices give code values ~20 apart for the same bar, so a path that decodes with one matrix and encodes with
 * the other, or that squeezes/expands the range, fails.</li>
 * <li>{@link #tenBitHlgStaysTenBit()}: a 10-bit HEVC HLG (bt2020 / arib-std-b67 / bt2020nc / tv) smooth gradient
 * with ~800 luma levels comes out 10-bit, with the same tags and more than 256 luma levels, most of them not on
 * the 4-code grid an 8-bit intermediate would leave. An 8-bit path fails it.</li>
 * <li>{@link #audioAndVideoStayInSyncOverAMinute()}: over 60 s (24 fps + AAC) the output's audio and video stream
 * durations differ by at most one frame, and the video lasts as long as the input's within one frame: no drift.</li>
 * <li>{@link #streamsTheContainerCannotHoldAreConvertedWithAWarning()}: SubRip from Matroska becomes mov_text in MP4
 * and WebVTT in WebM with the same cues, AAC becomes Opus in WebM (copied in MP4), and the warnings say so.</li>
 * <li>{@link #movAndWebmInputsKeepTheirFamilyAndAudio()}: a QuickTime file with PCM audio and a WebM file come out
 * as QuickTime and WebM, their audio packets unchanged.</li>
 * <li>{@link #mpegTsInputStartsAtZeroWithItsAudioAsTheCliRemuxesIt()}: a TS input starting at ~1.4 s comes out
 * starting at 0 with the same audio/video offset and its audio copied as the CLI copies it into MP4.</li>
 * </ul>
 * Rotation and sample aspect ratio are covered by {@link StreamTagsIT}.
 */
class MediaFidelityIT {
    @TempDir
    Path tmp;

    private static void upscale(Path input, Path output) throws Exception {
        try (Upscaler upscaler =
                Upscaler.load(Path.of("models/reference-x4"), EngineSettings.cpu(1), new ObjectMapper())) {
            UpscalePipeline.forModel(upscaler).run(input, output, EncodeSettings.DEFAULTS);
        }
    }

    // ---------------------------------------------------------------------------------------------- 1. VFR timing

    @Test
    void variableFrameTimingIsKept() throws Exception {
        Path input = tmp.resolve("vfr.mp4");
        // settb/-enc_time_base: in ffmpeg 5.1 the encoder's time base is otherwise 1/25 and the offsets round away
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=25",
                "-t",
                "2",
                "-vf",
                "settb=1/1000,setpts=PTS+0.015*mod(N\\,3)/TB",
                "-fps_mode",
                "passthrough",
                "-enc_time_base",
                "1/1000",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-bf",
                "0",
                input.toString());
        FrameTimes in = FrameTimes.of(input);
        assertEquals(50, in.pts().size(), "the test input's frame count");
        Set<Long> durations = new TreeSet<>();
        for (int i = 1; i < in.pts().size(); i++) {
            durations.add(in.pts().get(i) - in.pts().get(i - 1));
        }
        assertTrue(
                durations.size() >= 2, "the test input is VFR; frame durations (" + in.timeBase() + "): " + durations);

        Path output = tmp.resolve("vfr.x4.mp4");
        upscale(input, output);

        FrameTimes out = FrameTimes.of(output);
        assertEquals(in.pts().size(), out.pts().size(), "frame count");
        List<Long> expected = new ArrayList<>();
        for (long p : in.pts()) {
            expected.add(rescale(p, in.tbNum(), in.tbDen(), out.tbNum(), out.tbDen()));
        }
        assertEquals(
                expected,
                out.pts(),
                "frame pts in the output's time base " + out.timeBase()
                        + " (input's time base " + in.timeBase() + "; first difference at frame "
                        + firstDifference(expected, out.pts()) + ")");
    }

    /** av_rescale_q with round-to-nearest (halves away from zero). */
    static long rescale(long value, long fromNum, long fromDen, long toNum, long toDen) {
        long n = value * fromNum * toDen;
        long d = fromDen * toNum;
        long q = (2 * Math.abs(n) + d) / (2 * d);
        return n < 0 ? -q : q;
    }

    private static String firstDifference(List<Long> expected, List<Long> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                return i + ": expected " + expected.get(i) + ", was " + actual.get(i);
            }
        }
        return "none in the first " + Math.min(expected.size(), actual.size());
    }

    // ------------------------------------------------------------------------- 2. audio, subtitles and chapters

    @Test
    void audioSubtitleTracksAndChaptersAreKept() throws Exception {
        Path srt = tmp.resolve("subs.srt");
        Files.writeString(srt, "1\n00:00:00,200 --> 00:00:00,900\nHello\n\n2\n00:00:01,000 --> 00:00:01,800\nWorld\n");
        Path chapters = tmp.resolve("chapters.txt");
        Files.writeString(
                chapters,
                String.join(
                        "\n",
                        ";FFMETADATA1",
                        "title=Fidelity",
                        "",
                        "[CHAPTER]",
                        "TIMEBASE=1/1000",
                        "START=0",
                        "END=700",
                        "title=Opening",
                        "",
                        "[CHAPTER]",
                        "TIMEBASE=1/1000",
                        "START=700",
                        "END=1400",
                        "title=Middle",
                        "",
                        "[CHAPTER]",
                        "TIMEBASE=1/1000",
                        "START=1400",
                        "END=2000",
                        "title=Ending",
                        ""));
        Path input = tmp.resolve("streams.mp4");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=25",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=880:sample_rate=44100",
                "-i",
                srt.toString(),
                "-f",
                "ffmetadata",
                "-i",
                chapters.toString(),
                "-t",
                "2",
                "-map",
                "0:v",
                "-map",
                "1:a",
                "-map",
                "2:a",
                "-map",
                "3:s",
                "-map_metadata",
                "4",
                "-map_chapters",
                "4",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-c:s",
                "mov_text",
                "-metadata:s:a:0",
                "language=eng",
                "-metadata:s:a:1",
                "language=deu",
                "-metadata:s:s:0",
                "language=fra",
                input.toString());
        JsonNode in = Ffmpeg.probeWith(input, "-show_streams", "-show_chapters");
        assertEquals(List.of("eng", "deu"), languages(in, "audio"), "the test input's audio tracks");
        assertEquals(List.of("fra"), languages(in, "subtitle"), "the test input's subtitle track");
        assertEquals(3, in.path("chapters").size(), "the test input's chapters: " + in.path("chapters"));
        String inSubtitles = Ffmpeg.subtitlesAsSrt(input);
        assertTrue(inSubtitles.contains("Hello") && inSubtitles.contains("World"), inSubtitles);
        assertNotEquals(
                Ffmpeg.packetHash(input, "0:a:0"),
                Ffmpeg.packetHash(input, "0:a:1"),
                "the test input's two audio tracks differ");

        Path output = tmp.resolve("streams.x4.mp4");
        upscale(input, output);

        JsonNode out = Ffmpeg.probeWith(output, "-show_streams", "-show_chapters");
        assertEquals(languages(in, "audio"), languages(out, "audio"), "audio tracks (language of each, in order)");
        assertEquals(
                languages(in, "subtitle"), languages(out, "subtitle"), "subtitle tracks (language of each, in order)");
        assertEquals(chapterList(in), chapterList(out), "chapters (start s, end s, title)");
        for (int n = 0; n < 2; n++) {
            assertEquals(
                    Ffmpeg.packetHash(input, "0:a:" + n),
                    Ffmpeg.packetHash(output, "0:a:" + n),
                    "audio track " + n + " packets are bit-identical to the input's");
        }
        assertEquals(inSubtitles, Ffmpeg.subtitlesAsSrt(output), "subtitle text and timing");
    }

    /**
     * Streams a container cannot hold are converted, not lost, and the completed event's warnings say so: SubRip from
     * Matroska becomes mov_text in MP4 (same cues), and for WebM the AAC audio becomes Opus and the subtitles WebVTT.
     */
    @Test
    void streamsTheContainerCannotHoldAreConvertedWithAWarning() throws Exception {
        Path srt = tmp.resolve("subs.srt");
        Files.writeString(srt, "1\n00:00:00,200 --> 00:00:00,900\nHello\n\n2\n00:00:01,000 --> 00:00:01,800\nWorld\n");
        Path input = tmp.resolve("subs.mkv");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=25",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-i",
                srt.toString(),
                "-t",
                "2",
                "-map",
                "0:v",
                "-map",
                "1:a",
                "-map",
                "2:s",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-c:s",
                "srt",
                "-metadata:s:a:0",
                "language=eng",
                "-metadata:s:s:0",
                "language=spa",
                input.toString());
        JsonNode in = Ffmpeg.probeWith(input, "-show_streams");
        assertEquals(
                "subrip",
                Ffmpeg.streams(in, "subtitle").get(0).path("codec_name").asText(),
                "the test input");
        // -copyts: cue times as stored; otherwise the CLI shifts them by each file's start time, which the audio's
        // codec delay sets (AAC priming in the input, plus Opus pre-skip in the WebM output)
        String cues = storedCues(input);

        for (String container : List.of("mp4", "webm")) {
            Path output = tmp.resolve("subs.x4." + container);
            UpscaleStats stats;
            try (Upscaler upscaler =
                    Upscaler.load(Path.of("models/reference-x4"), EngineSettings.cpu(1), new ObjectMapper())) {
                stats = UpscalePipeline.forModel(upscaler).run(input, output, EncodeSettings.DEFAULTS);
            }
            JsonNode out = Ffmpeg.probeWith(output, "-show_streams", "-show_format");
            assertTrue(
                    out.path("format").path("format_name").asText().contains(container.equals("mp4") ? "mp4" : "webm"),
                    out.path("format").toString());
            JsonNode sub = Ffmpeg.streams(out, "subtitle").get(0);
            assertEquals(
                    container.equals("mp4") ? "mov_text" : "webvtt",
                    sub.path("codec_name").asText());
            assertEquals("spa", sub.path("tags").path("language").asText());
            assertEquals(cues, storedCues(output), container + ": the same cues");
            JsonNode audio = Ffmpeg.streams(out, "audio").get(0);
            assertEquals(
                    container.equals("mp4") ? "aac" : "opus",
                    audio.path("codec_name").asText());
            assertEquals("eng", audio.path("tags").path("language").asText());
            String warnings = String.join("; ", stats.warnings());
            assertTrue(
                    warnings.contains("converted to " + sub.path("codec_name").asText()), warnings);
            assertEquals(container.equals("webm"), warnings.contains("re-encoded to libopus"), warnings);
            if (container.equals("webm")) {
                assertEquals(
                        "vp9", Ffmpeg.stream(out, "video").path("codec_name").asText());
                // the whole file decodes (ffmpeg exits non-zero on a broken stream with -xerror)
                Ffmpeg.run("ffmpeg", "-v", "error", "-xerror", "-i", output.toString(), "-f", "null", "-");
            } else {
                assertEquals(
                        Ffmpeg.packetHash(input, "0:a:0"),
                        Ffmpeg.packetHash(output, "0:a:0"),
                        "MP4 holds AAC: copied, not re-encoded");
            }
        }
    }

    /**
     * MOV (with PCM audio, as cameras write it) and WebM (VP9 + Opus) inputs come out in their own family with their
     * audio copied; the default codec follows the container (H.264 in MOV, VP9 in WebM).
     */
    @Test
    void movAndWebmInputsKeepTheirFamilyAndAudio() throws Exception {
        record Case(String name, String audioCodec, String videoArgs, String formatName, String videoCodec) {}
        for (Case c : List.of(
                new Case("camera.mov", "pcm_s16le", "libx264", "mov", "h264"),
                new Case("web.webm", "libopus", "libvpx-vp9", "webm", "vp9"))) {
            Path input = tmp.resolve(c.name());
            Ffmpeg.run(
                    "ffmpeg",
                    "-v",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    "testsrc2=size=64x48:rate=25",
                    "-f",
                    "lavfi",
                    "-i",
                    "sine=frequency=440:sample_rate=48000",
                    "-t",
                    "1",
                    "-c:v",
                    c.videoArgs(),
                    "-pix_fmt",
                    "yuv420p",
                    "-c:a",
                    c.audioCodec(),
                    "-shortest",
                    input.toString());
            Path output = tmp.resolve("x4-" + c.name().replace('.', '-')); // no extension: the input decides
            upscale(input, output);
            JsonNode out = Ffmpeg.probeWith(output, "-show_streams", "-show_format");
            String format = out.path("format").path("format_name").asText();
            assertTrue(
                    c.formatName().equals("mov") ? format.startsWith("mov") : format.contains("webm"),
                    c.name() + " gave " + format);
            if (c.formatName().equals("mov")) {
                assertEquals(
                        "qt",
                        out.path("format")
                                .path("tags")
                                .path("major_brand")
                                .asText()
                                .trim(),
                        "a QuickTime file, not an MP4");
            }
            assertEquals(
                    c.videoCodec(),
                    Ffmpeg.stream(out, "video").path("codec_name").asText());
            assertEquals(
                    Ffmpeg.packetHash(input, "0:a:0"),
                    Ffmpeg.packetHash(output, "0:a:0"),
                    c.name() + ": audio copied packet for packet");
        }
    }

    /**
     * An MPEG-TS input (broadcast's container) starts at 1.4 s or so: the output starts at 0 with audio and video
     * still offset as they were, and the ADTS audio is copied exactly as the ffmpeg CLI remuxes it into MP4.
     */
    @Test
    void mpegTsInputStartsAtZeroWithItsAudioAsTheCliRemuxesIt() throws Exception {
        Path input = tmp.resolve("broadcast.ts");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=25",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t",
                "2",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-f",
                "mpegts",
                input.toString());
        JsonNode in = Ffmpeg.probeWith(input, "-show_streams");
        double inVideo = Ffmpeg.stream(in, "video").path("start_time").asDouble();
        double inAudio = Ffmpeg.stream(in, "audio").path("start_time").asDouble();
        assertTrue(Math.min(inVideo, inAudio) > 1, "the test input starts late, as TS does: " + inVideo);
        Path remux = tmp.resolve("remux.mp4");
        Ffmpeg.run("ffmpeg", "-v", "error", "-y", "-i", input.toString(), "-c", "copy", remux.toString());

        Path output = tmp.resolve("broadcast.x4.mp4");
        upscale(input, output);
        JsonNode out = Ffmpeg.probeWith(output, "-show_streams");
        double outVideo = Ffmpeg.stream(out, "video").path("start_time").asDouble();
        double outAudio = Ffmpeg.stream(out, "audio").path("start_time").asDouble();
        assertTrue(Math.min(outVideo, outAudio) < 0.05, "starts at 0: video " + outVideo + ", audio " + outAudio);
        assertEquals(inVideo - inAudio, outVideo - outAudio, 0.002, "audio/video offset kept");
        assertEquals(
                Ffmpeg.packetHash(remux, "0:a:0"),
                Ffmpeg.packetHash(output, "0:a:0"),
                "audio packets as the CLI's own copy into MP4 (ADTS headers stripped, payload unchanged)");
    }

    private static List<String> languages(JsonNode probe, String type) {
        List<String> langs = new ArrayList<>();
        for (JsonNode s : Ffmpeg.streams(probe, type)) {
            langs.add(s.path("tags").path("language").asText("(none)"));
        }
        return langs;
    }

    /** "start-end title" per chapter, times in ms (mp4 chapter tracks have ms precision). */
    private static List<String> chapterList(JsonNode probe) {
        List<String> list = new ArrayList<>();
        for (JsonNode c : probe.path("chapters")) {
            list.add(Math.round(c.path("start_time").asDouble() * 1000) + "-"
                    + Math.round(c.path("end_time").asDouble() * 1000) + " "
                    + c.path("tags").path("title").asText());
        }
        return list;
    }

    private static String storedCues(Path file) throws Exception {
        return Ffmpeg.run("ffmpeg", "-v", "error", "-copyts", "-i", file.toString(), "-map", "0:s:0", "-f", "srt", "-");
    }

    // ------------------------------------------------------------------------------------------------ 3. colour

    /** pal75bars: 8 vertical bars, each BAR_WIDTH wide at this size. */
    private static final int BARS_W = 192;

    private static final int BARS_H = 64;
    private static final int BAR_WIDTH = BARS_W / 8;
    private static final int MARGIN = 6;

    @Test
    void bt709BarsKeepTheirTagsAndValues() throws Exception {
        barsKeepTagsAndValues("bt709", new String[] {"bt709", "bt709", "bt709"}, 131);
    }

    @Test
    void bt601BarsKeepTheirTagsAndValues() throws Exception {
        barsKeepTagsAndValues("bt601", new String[] {"smpte170m", "smpte170m", "smpte170m"}, 111);
    }

    /**
     * @param tags        primaries, transfer, matrix as ffmpeg names them
     * @param greenBarY   the 75% green bar's Y under this matrix (131 for BT.709, 111 for BT.601): proves the input
     *                    is coded with the matrix it is tagged with
     */
    private void barsKeepTagsAndValues(String matrix, String[] tags, int greenBarY) throws Exception {
        Path input = tmp.resolve("bars-" + matrix + ".mp4");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "pal75bars=size=" + BARS_W + "x" + BARS_H + ":rate=25",
                "-t",
                "0.4",
                "-vf",
                "format=rgb24,scale=out_color_matrix=" + matrix + ":out_range=tv,format=yuv420p",
                "-c:v",
                "libx264",
                "-crf",
                "10",
                "-color_primaries",
                tags[0],
                "-color_trc",
                tags[1],
                "-colorspace",
                tags[2],
                "-color_range",
                "tv",
                input.toString());
        JsonNode inV = Ffmpeg.stream(Ffmpeg.probe(input), "video");
        assertEquals(List.of(tags[2], tags[1], tags[0], "tv"), colourTags(inV), "the test input's tags");
        double[][] inMeans = barMeans(Ffmpeg.firstFrame(input, "yuv420p"), BARS_W, BARS_H, 1);
        assertEquals(greenBarY, inMeans[3][0], 3.0, "the test input's green bar is coded with " + matrix);

        Path output = tmp.resolve("bars-" + matrix + ".x4.mp4");
        upscale(input, output);

        JsonNode outV = Ffmpeg.stream(Ffmpeg.probe(output), "video");
        assertEquals(colourTags(inV), colourTags(outV), "color_space, color_transfer, color_primaries, color_range");
        int scale = outV.path("width").asInt() / BARS_W;
        assertEquals(4, scale, "output width");
        assertEquals(BARS_H * scale, outV.path("height").asInt(), "output height");
        double[][] outMeans = barMeans(Ffmpeg.firstFrame(output, "yuv420p"), BARS_W * scale, BARS_H * scale, scale);
        StringBuilder off = new StringBuilder();
        String[] planes = {"Y", "U", "V"};
        for (int bar = 0; bar < 8; bar++) {
            for (int p = 0; p < 3; p++) {
                if (Math.abs(outMeans[bar][p] - inMeans[bar][p]) > 2.0) {
                    off.append(String.format(
                            " bar %d %s: in %.1f out %.1f;", bar, planes[p], inMeans[bar][p], outMeans[bar][p]));
                }
            }
        }
        assertTrue(off.isEmpty(), "bar interiors more than 2 code values off (" + matrix + "):" + off);
    }

    private static List<String> colourTags(JsonNode video) {
        return List.of(
                video.path("color_space").asText("(none)"),
                video.path("color_transfer").asText("(none)"),
                video.path("color_primaries").asText("(none)"),
                video.path("color_range").asText("(none)"));
    }

    /** Mean Y, U, V of each bar's interior in a yuv420p frame of a picture {@code scale} times the bars' size. */
    private static double[][] barMeans(byte[] frame, int width, int height, int scale) {
        assertEquals(width * height * 3 / 2, frame.length, "one yuv420p " + width + "x" + height + " frame");
        double[][] means = new double[8][3];
        int chromaOffset = width * height;
        for (int bar = 0; bar < 8; bar++) {
            int x0 = (bar * BAR_WIDTH + MARGIN) * scale;
            int x1 = ((bar + 1) * BAR_WIDTH - MARGIN) * scale;
            int y0 = MARGIN * scale;
            int y1 = (BARS_H - MARGIN) * scale;
            means[bar][0] = mean(frame, 0, width, x0, x1, y0, y1);
            means[bar][1] = mean(frame, chromaOffset, width / 2, x0 / 2, x1 / 2, y0 / 2, y1 / 2);
            means[bar][2] = mean(frame, chromaOffset + width * height / 4, width / 2, x0 / 2, x1 / 2, y0 / 2, y1 / 2);
        }
        return means;
    }

    private static double mean(byte[] frame, int offset, int stride, int x0, int x1, int y0, int y1) {
        long sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += frame[offset + y * stride + x] & 0xff;
            }
        }
        return (double) sum / ((long) (x1 - x0) * (y1 - y0));
    }

    // -------------------------------------------------------------------------------------------- 4. 10-bit HLG

    @Test
    void tenBitHlgStaysTenBit() throws Exception {
        Path input = tmp.resolve("hlg.mp4");
        // a horizontal ramp over the 10-bit limited range, tilted by under one column per picture height so that
        // every code value between 64 and 940 occurs (256 columns alone would give at most 256 levels)
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "color=black:size=256x64:rate=25",
                "-t",
                "0.4",
                "-vf",
                "format=yuv420p10le,geq=lum='64+(X+Y/H)*876/W':cb=512:cr=512",
                "-c:v",
                "libx265",
                "-pix_fmt",
                "yuv420p10le",
                "-tag:v",
                "hvc1",
                "-x265-params",
                "log-level=error",
                "-color_primaries",
                "bt2020",
                "-color_trc",
                "arib-std-b67",
                "-colorspace",
                "bt2020nc",
                "-color_range",
                "tv",
                input.toString());
        JsonNode inV = Ffmpeg.stream(Ffmpeg.probe(input), "video");
        assertEquals("yuv420p10le", inV.path("pix_fmt").asText(), "the test input");
        assertEquals(List.of("bt2020nc", "arib-std-b67", "bt2020", "tv"), colourTags(inV), "the test input's tags");
        Levels inLevels = lumaLevels(input, 256, 64);
        assertTrue(inLevels.distinct() > 256 && inLevels.offGrid() > 0.5, "the test input is 10-bit deep: " + inLevels);

        Path output = tmp.resolve("hlg.x4.mp4");
        upscale(input, output);

        JsonNode outV = Ffmpeg.stream(Ffmpeg.probe(output), "video");
        String pixFmt = outV.path("pix_fmt").asText();
        assertTrue(
                pixFmt.matches("(yuv|gbr)[a-z0-9]*p10(le|be)|p010(le|be)"),
                "output pix_fmt is 10-bit: " + pixFmt + " ("
                        + outV.path("codec_name").asText() + ")");
        assertEquals(colourTags(inV), colourTags(outV), "color_space, color_transfer, color_primaries, color_range");
        Levels outLevels = lumaLevels(
                output, outV.path("width").asInt(), outV.path("height").asInt());
        assertTrue(outLevels.distinct() > 256, "output luma levels: " + outLevels);
        assertTrue(outLevels.offGrid() > 0.5, "output luma is not an 8-bit picture shifted to 10 bits: " + outLevels);
    }

    /**
     * @param distinct how many luma code values (10-bit) the first frame has
     * @param offGrid  the share of luma samples that are not multiples of 4, the only values an 8-bit picture
     *                 widened to 10 bits can take (~0.75 for a true 10-bit ramp, ~0 for a widened 8-bit one)
     */
    private record Levels(int distinct, double offGrid) {}

    private static Levels lumaLevels(Path file, int width, int height) throws Exception {
        byte[] frame = Ffmpeg.firstFrame(file, "yuv420p10le");
        assertEquals(width * height * 3, frame.length, "one yuv420p10le " + width + "x" + height + " frame");
        Set<Integer> values = new HashSet<>();
        long offGrid = 0;
        for (int i = 0; i < width * height; i++) {
            int v = (frame[2 * i] & 0xff) | (frame[2 * i + 1] & 0xff) << 8;
            values.add(v);
            if (v % 4 != 0) {
                offGrid++;
            }
        }
        return new Levels(values.size(), (double) offGrid / (width * height));
    }

    // -------------------------------------------------------------------------------------------- 6. A/V sync

    @Test
    void audioAndVideoStayInSyncOverAMinute() throws Exception {
        Path input = tmp.resolve("minute.mp4");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x36:rate=24",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t",
                "60",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                input.toString());
        double frame = 1.0 / 24;
        double slack = 1e-6; // ffprobe prints durations to the microsecond
        JsonNode in = Ffmpeg.probe(input);
        double inVideo = duration(in, "video");
        double inAudio = duration(in, "audio");
        assertEquals(60.0, inVideo, frame, "the test input's video duration");
        assertTrue(
                Math.abs(inAudio - inVideo) <= frame + slack,
                "the test input is in sync: audio " + inAudio + " s, video " + inVideo + " s");

        Path output = tmp.resolve("minute.x4.mp4");
        upscale(input, output);

        JsonNode out = Ffmpeg.probe(output);
        double outVideo = duration(out, "video");
        double outAudio = duration(out, "audio");
        assertTrue(
                Math.abs(outAudio - outVideo) <= frame + slack,
                "output audio " + outAudio + " s vs video " + outVideo + " s: more than one frame (1/24 s) apart");
        assertTrue(
                Math.abs(outVideo - inVideo) <= frame + slack,
                "output video " + outVideo + " s vs input video " + inVideo + " s: more than one frame apart");
    }

    private static double duration(JsonNode probe, String type) {
        JsonNode s = Ffmpeg.stream(probe, type);
        assertNotNull(s, "a " + type + " stream");
        assertTrue(s.has("duration"), type + " stream duration: " + s);
        return s.path("duration").asDouble();
    }
}
