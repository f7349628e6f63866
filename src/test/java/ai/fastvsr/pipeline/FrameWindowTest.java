package ai.fastvsr.pipeline;

import static ai.fastvsr.pipeline.FrameWindow.Use.CONTEXT;
import static ai.fastvsr.pipeline.FrameWindow.Use.OUTPUT;
import static ai.fastvsr.pipeline.FrameWindow.Use.PAST;
import static ai.fastvsr.pipeline.FrameWindow.Use.SKIP;
import static ai.fastvsr.pipeline.FrameWindow.Use.WARMUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.job.JobRequest.Range;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameWindowTest {

    private static List<FrameWindow.Use> uses(FrameWindow w, int frames) {
        List<FrameWindow.Use> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            out.add(w.use(i));
        }
        return out;
    }

    @Test
    void aRangeInTheMiddleHasContextOnBothSidesAndStopsAfterIt() {
        FrameWindow w = new FrameWindow(4, 3, 2);
        assertEquals(
                List.of(SKIP, SKIP, CONTEXT, CONTEXT, OUTPUT, OUTPUT, OUTPUT, CONTEXT, CONTEXT, PAST, PAST),
                uses(w, 11));
        assertEquals(7, w.end());
    }

    @Test
    void contextIsCutAtTheStartOfTheInput() {
        assertEquals(List.of(OUTPUT, OUTPUT, CONTEXT, CONTEXT, CONTEXT, PAST), uses(new FrameWindow(0, 2, 3), 6));
        assertEquals(List.of(CONTEXT, OUTPUT, CONTEXT, PAST), uses(new FrameWindow(1, 1, 1), 4));
    }

    @Test
    void warmUpFramesAreTheLastBeforeTheRangeAndReachFurtherBackThanTheContext() {
        // warm-up 3, context 1: frames 2..4 are encoded and dropped, and go through the model
        assertEquals(
                List.of(SKIP, SKIP, WARMUP, WARMUP, WARMUP, OUTPUT, OUTPUT, CONTEXT, PAST),
                uses(new FrameWindow(5, 2, 1, 3), 9));
        // context 3, warm-up 1: frames 2, 3 are context only
        assertEquals(
                List.of(SKIP, SKIP, CONTEXT, CONTEXT, WARMUP, OUTPUT, CONTEXT, CONTEXT, CONTEXT, PAST),
                uses(new FrameWindow(5, 1, 3, 1), 10));
        assertEquals(new FrameWindow(10, 5, 8, 48), FrameWindow.of(new Range(10, 5, null, 48, "24/1"), 8));
    }

    @Test
    void theWholeInputIsWrittenWithoutContext() {
        FrameWindow all = FrameWindow.of(null, 8);
        assertSame(FrameWindow.ALL, all);
        assertFalse(all.isRange());
        assertEquals(List.of(OUTPUT, OUTPUT, OUTPUT), uses(all, 3));
        assertEquals(OUTPUT, all.use(Long.MAX_VALUE - 1));
    }

    @Test
    void theContextDefaultsToTheModelsClipLength() {
        assertEquals(new FrameWindow(10, 5, 8), FrameWindow.of(new Range(10, 5, null), 8));
        assertEquals(new FrameWindow(10, 5, 0), FrameWindow.of(new Range(10, 5, 0), 8));
        assertTrue(FrameWindow.of(new Range(0, 5, 0), 8).isRange());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FrameWindow(-1, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> new FrameWindow(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FrameWindow(0, 5, -1));
    }
}
