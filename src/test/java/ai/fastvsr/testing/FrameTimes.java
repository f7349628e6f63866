package ai.fastvsr.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's first video stream as Debian's ffprobe reads it: its time base and its frames' presentation times in it,
 * in presentation order.
 */
public record FrameTimes(long tbNum, long tbDen, List<Long> pts) {

    public static FrameTimes of(Path file) throws IOException {
        JsonNode probe = Ffmpeg.probeWith(
                file, "-select_streams", "v:0", "-show_entries", "stream=time_base:frame=pts,best_effort_timestamp");
        String[] tb = probe.path("streams").path(0).path("time_base").asText().split("/");
        List<Long> pts = new ArrayList<>();
        for (JsonNode f : probe.path("frames")) {
            JsonNode p = f.has("pts") ? f.path("pts") : f.path("best_effort_timestamp");
            if (!p.isIntegralNumber()) {
                throw new AssertionError("a frame without pts in " + file.getFileName() + ": " + f);
            }
            pts.add(p.asLong());
        }
        return new FrameTimes(Long.parseLong(tb[0]), Long.parseLong(tb[1]), pts);
    }

    public String timeBase() {
        return tbNum + "/" + tbDen;
    }

    /** Frame {@code i}'s time in microseconds (exact for the time bases of MP4, Matroska and MPEG-TS files). */
    public long micros(int i) {
        return Math.round(pts.get(i) * 1e6 * tbNum / tbDen);
    }

    /** Every frame's time in microseconds. */
    public List<Long> micros() {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < pts.size(); i++) {
            out.add(micros(i));
        }
        return out;
    }
}
