package ai.fastvsr.split;

import ai.fastvsr.video.VideoPackets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a split cuts: at the first clean keyframe at or after every {@code segmentSeconds} of the input, so each
 * segment is whole GOPs and is copied, never re-encoded. A keyframe is clean when every frame decoded before it is
 * also shown before it (a closed GOP): the frames of a run of packets from one clean keyframe to the next are then
 * exactly the frames shown between them. Each segment's file reaches back and forward to clean keyframes that give
 * its child at least {@code context} frames on each side (fewer only at the ends of the input).
 */
public final class SegmentPlan {
    private SegmentPlan() {}

    /**
     * One segment: the frames it writes, by index in the input's presentation order, and the packets (in decode
     * order) its file holds.
     *
     * @param localFirst the index of {@code firstFrame} among the frames of the segment's file
     * @param firstPts   {@code firstFrame}'s timestamp as the unsplit frame path writes it (input's time base)
     */
    public record Segment(
            int index,
            int fromPacket,
            int toPacket,
            long firstFrame,
            long frameCount,
            long localFirst,
            long firstPts) {}

    public static List<Segment> plan(VideoPackets video, double segmentSeconds, int context) {
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
        long start = shown[0];
        double next = segmentSeconds;
        for (int k : clean) {
            double t = video.seconds(video.pts()[k] - start);
            if (k > 0 && t >= next - 1e-9) {
                cuts.add(k);
                next = (Math.floor(t / segmentSeconds + 1e-9) + 1) * segmentSeconds;
            }
        }
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < cuts.size(); s++) {
            int first = cuts.get(s);
            int end = s + 1 < cuts.size() ? cuts.get(s + 1) : n;
            int from = lastAtOrBefore(clean, first - context);
            int to = firstAtOrAfter(clean, end + context, n);
            segments.add(new Segment(s, from, to, first, end - first, first - from, shown[first] - video.startShift()));
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
