package ai.fastvsr.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.fastvsr.split.SegmentPlan.Segment;
import ai.fastvsr.video.VideoPackets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentPlanTest {

    /** {@code frames} frames at 1/10 s, a keyframe every {@code keyint}, no reordering; time base 1/1000. */
    private static VideoPackets constant(int frames, int keyint, long shift) {
        long[] pts = new long[frames];
        boolean[] keys = new boolean[frames];
        for (int i = 0; i < frames; i++) {
            pts[i] = shift + i * 100L;
            keys[i] = i % keyint == 0;
        }
        return new VideoPackets(1, 1000, shift, pts, keys, 10, 1);
    }

    @Test
    void cutsAtTheFirstEncoderKeyframeAtOrAfterEachMultipleOfTheSegmentLength() {
        // 10 fps, the encoder's keyframes every 4 frames; 2 s segments: targets 2.0, 4.0 -> frames 20 and 40
        List<Segment> plan = SegmentPlan.plan(constant(50, 1, 0), 2.0, 0, 4);
        assertEquals(
                List.of(0L, 20L, 40L), plan.stream().map(Segment::firstFrame).toList());
        assertEquals(
                List.of(20L, 20L, 10L), plan.stream().map(Segment::frameCount).toList());
        // off the segment length: the grid frame after it (1.5 s -> frames 16, 32, 48)
        assertEquals(
                List.of(0L, 16L, 32L, 48L),
                SegmentPlan.plan(constant(50, 1, 0), 1.5, 0, 4).stream()
                        .map(Segment::firstFrame)
                        .toList());
    }

    @Test
    void segmentFilesReachBackToAKeyframeBeforeTheWarmUpAndForwardToOneAfterTheContext() {
        // input keyframes every 7 frames, encoder keyframes every 6: cuts at 24 and 42 (2.4 s, 4.2 s)
        List<Segment> plan = SegmentPlan.plan(constant(60, 7, 0), 2.0, 3, 6);
        // segment 0 writes 0..23, no warm-up; its file ends at keyframe 28 (>= 24 + 3)
        assertEquals(new Segment(0, 0, 28, 0, 24, 0, 0, 0), plan.get(0));
        // segment 1 writes 24..41 after a warm-up of two intervals (12): its file starts at keyframe 7 (<= 24 - 12)
        // and ends at 49 (>= 42 + 3)
        assertEquals(new Segment(1, 7, 49, 24, 18, 17, 2400, 12), plan.get(1));
        assertEquals(new Segment(2, 28, 60, 42, 18, 14, 4200, 12), plan.get(2));
        // the warm-up reaches further back than the context when it is longer, and vice versa
        assertEquals(7, SegmentPlan.plan(constant(60, 7, 0), 2.0, 17, 6).get(1).fromPacket());
        assertEquals(0, SegmentPlan.plan(constant(60, 7, 0), 2.0, 18, 6).get(1).fromPacket());
    }

    @Test
    void frameRangesCoverTheInputOnceInOrder() {
        List<Segment> plan = SegmentPlan.plan(constant(1000, 12, 0), 3.0, 8, 20);
        long next = 0;
        for (Segment s : plan) {
            assertEquals(next, s.firstFrame());
            assertEquals(0, s.firstFrame() % 20, "on the encoder's keyframe grid");
            next += s.frameCount();
        }
        assertEquals(1000, next);
        assertEquals(33, plan.size());
    }

    @Test
    void timestampsAreTheReadersThatIsLessAPositiveStartTime() {
        List<Segment> plan = SegmentPlan.plan(constant(50, 7, 1400), 2.0, 0, 4);
        assertEquals(
                List.of(0L, 2000L, 4000L), plan.stream().map(Segment::firstPts).toList());
    }

    @Test
    void filesStartOnlyAtCleanKeyframes() {
        // decode order I0 P3 B1 B2 | I6(open: B4 B5 follow it) P9 B7 B8 | I10 ...: only 0 and 10 are clean
        long[] pts = {0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 10, 11, 12, 13};
        boolean[] keys = new boolean[pts.length];
        keys[0] = keys[4] = keys[10] = true;
        for (int i = 0; i < pts.length; i++) {
            pts[i] *= 100;
        }
        List<Segment> plan = SegmentPlan.plan(new VideoPackets(1, 1000, 0, pts, keys, 10, 1), 0.5, 0, 3);
        // cuts at the grid frames 6, 12; segment 1 (frames 6..11, warm-up 6 from frame 0) starts at keyframe 0;
        // segment 2 (12.., warm-up from frame 6) at keyframe 0 too, not at the open keyframe 6
        assertEquals(
                List.of(0L, 6L, 12L), plan.stream().map(Segment::firstFrame).toList());
        assertEquals(List.of(0, 0, 0), plan.stream().map(Segment::fromPacket).toList());
        assertEquals(10, plan.get(0).toPacket(), "segment 0's file ends at the clean keyframe 10, not at 6");
    }

    @Test
    void anInputShorterThanOneSegmentIsOneSegment() {
        assertEquals(List.of(new Segment(0, 0, 5, 0, 5, 0, 0, 0)), SegmentPlan.plan(constant(5, 2, 0), 30, 8, 48));
    }
}
