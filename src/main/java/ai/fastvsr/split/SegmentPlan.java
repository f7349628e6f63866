package ai.fastvsr.split;

import ai.fastvsr.video.VideoPackets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a split cuts, and what each segment's file holds.
 *
 * <p>The cuts fall on the keyframe grid of an unsplit run's encoder (every {@code gop} frames from the first), at
 * the first grid frame at or after every {@code segmentSeconds} of the input. A child starts its output with a
 * keyframe; on the grid, the unsplit run has one there too, and a child that has encoded the grid intervals before
 * its cut (its warm-up, {@link #WARMUP_INTERVALS} intervals, packets dropped) reaches the cut with the unsplit
 * encoder's state: its frames were then the unsplit run's, bit for bit with openh264, in every measurement
 * (docs/architecture.md, "Seams").
 *
 * <p>The files are cut from the input by stream copy, never re-encoded, so they start and end at clean keyframes.
 * A keyframe is clean when every frame decoded before it is also shown before it (a closed GOP): the frames of a
 * run of packets from one clean keyframe to the next are then exactly the frames shown between them. Each
 * segment's file reaches back to a clean keyframe that gives its child the warm-up and {@code context} frames
 * before the cut, and forward to one that gives {@code context} frames after it (fewer only at the ends).
 */
public final class SegmentPlan {
    /**
     * Keyframe intervals a child encodes before its cut. openh264's rate control forgets where it started within
     * one or two intervals: one was exact at 256x192 but left the first interval after the cut at 44-49 dB at
     * 512x288; two were exact at both.
     */
    public static final int WARMUP_INTERVALS = 2;

    private SegmentPlan() {}

    /**
     * One segment: the frames it writes, by index in the input's presentation order, and the packets (in decode
     * order) its file holds.
     *
     * @param localFirst the index of {@code firstFrame} among the frames of the segment's file
     * @param firstPts   {@code firstFrame}'s timestamp as the unsplit frame path writes it (input's time base)
     * @param warmup     frames before {@code firstFrame} its child encodes and drops (0 for the first segment)
     */
    public record Segment(
            int index,
            int fromPacket,
            int toPacket,
            long firstFrame,
            long frameCount,
            long localFirst,
            long firstPts,
            int warmup) {}

    public static List<Segment> plan(VideoPackets video, double segmentSeconds, int context, int gop) {
        if (gop < 1) {
            throw new IllegalArgumentException("keyframe interval " + gop);
        }
        int n = video.count();
        long[] shown = video.pts().clone();
        Arrays.sort(shown);
        // clean keyframes in decode order: packet index i where the first i packets are the first i frames shown
        List<Integer> clean = new ArrayList<>();
        long maxBefore = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long pts = video.pts()[i];
            if (i == 0 || (video.keys()[i] && maxBefore < pts && shown[i] == pts)) {
                clean.add(i);
            }
            maxBefore = Math.max(maxBefore, pts);
        }
        List<Integer> cuts = new ArrayList<>(List.of(0));
        double next = segmentSeconds;
        for (int k = gop; k < n; k += gop) {
            double t = video.seconds(shown[k] - shown[0]);
            if (t >= next - 1e-9) {
                cuts.add(k);
                next = (Math.floor(t / segmentSeconds + 1e-9) + 1) * segmentSeconds;
            }
        }
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < cuts.size(); s++) {
            int first = cuts.get(s);
            int end = s + 1 < cuts.size() ? cuts.get(s + 1) : n;
            int warmup = s == 0 ? 0 : WARMUP_INTERVALS * gop;
            int from = lastAtOrBefore(clean, first - Math.max(context, warmup));
            int to = firstAtOrAfter(clean, end + context, n);
            segments.add(new Segment(
                    s, from, to, first, end - first, first - from, shown[first] - video.startShift(), warmup));
        }
        return segments;
    }

    private static int lastAtOrBefore(List<Integer> clean, int frame) {
        int found = 0;
        for (int k : clean) {
            if (k <= frame) {
                found = k;
            }
        }
        return found;
    }

    private static int firstAtOrAfter(List<Integer> clean, int frame, int n) {
        for (int k : clean) {
            if (k >= frame) {
                return k;
            }
        }
        return n;
    }
}
