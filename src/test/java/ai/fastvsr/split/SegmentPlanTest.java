package ai.fastvsr.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.fastvsr.split.SegmentPlan.Segment;
import ai.fastvsr.video.VideoPackets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentPlanTest {

    /** {@code frames} frames at 1/10 s, a keyframe every {@code gop}, no reordering; time base 1/1000. */
    private static VideoPackets constant(int frames, int gop, long shift) {
        long[] pts = new long[frames];
        boolean[] keys = new boolean[frames];
        for (int i = 0; i < frames; i++) {
            pts[i] = shift + i * 100L;
            keys[i] = i % gop == 0;
        }
        return new VideoPackets(1, 1000, shift, pts, keys);
    }

    @Test
    void cutsAtTheFirstKeyframeAtOrAfterEachMultipleOfTheSegmentLength() {
        // 10 fps, keyframes every 7 frames (0.7 s); 2 s segments: targets 2.0, 4.0 -> keyframes 2.1 s, 4.2 s
        List<Segment> plan = SegmentPlan.plan(constant(50, 7, 0), 2.0, 0);
        assertEquals(
                List.of(
                        new Segment(0, 0, 21, 0, 21, 0, 0),
                        new Segment(1, 21, 42, 21, 21, 0, 2100),
                        new Segment(2, 42, 50, 42, 8, 0, 4200)),
                plan);
    }

    @Test
    void segmentFilesReachBackAndForwardToKeyframesThatGiveTheContext() {
        List<Segment> plan = SegmentPlan.plan(constant(50, 7, 0), 2.0, 3);
        // segment 1 writes 21..41; its file starts at keyframe 14 (<= 21-3) and ends before keyframe 49 (>= 42+3)
        assertEquals(new Segment(0, 0, 28, 0, 21, 0, 0), plan.get(0));
        assertEquals(new Segment(1, 14, 49, 21, 21, 7, 2100), plan.get(1));
        assertEquals(new Segment(2, 35, 50, 42, 8, 7, 4200), plan.get(2));
    }

    @Test
    void frameRangesCoverTheInputOnceInOrder() {
        List<Segment> plan = SegmentPlan.plan(constant(1000, 12, 0), 3.0, 8);
        long next = 0;
        for (Segment s : plan) {
            assertEquals(next, s.firstFrame());
            next += s.frameCount();
        }
        assertEquals(1000, next);
        assertEquals(34, plan.size());
    }

    @Test
    void timestampsAreTheReadersThatIsLessAPositiveStartTime() {
        List<Segment> plan = SegmentPlan.plan(constant(50, 7, 1400), 2.0, 0);
        assertEquals(
                List.of(0L, 2100L, 4200L), plan.stream().map(Segment::firstPts).toList());
    }

    @Test
    void aKeyframeFollowedByFramesShownBeforeItIsNoCut() {
        // decode order I0 P3 B1 B2 | I6(open: B4 B5 follow it) P9 B7 B8 | I10 ...: only 0 and 10 are clean
        long[] pts = {0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 10, 11, 12, 13};
        boolean[] keys = new boolean[pts.length];
        keys[0] = keys[4] = keys[10] = true;
        for (int i = 0; i < pts.length; i++) {
            pts[i] *= 100;
        }
        List<Segment> plan = SegmentPlan.plan(new VideoPackets(1, 1000, 0, pts, keys), 0.5, 0);
        assertEquals(List.of(0L, 10L), plan.stream().map(Segment::firstFrame).toList());
        assertEquals(List.of(10L, 4L), plan.stream().map(Segment::frameCount).toList());
    }

    @Test
    void anInputShorterThanOneSegmentIsOneSegment() {
        assertEquals(List.of(new Segment(0, 0, 5, 0, 5, 0, 0)), SegmentPlan.plan(constant(5, 2, 0), 30, 8));
    }
}
