package ai.fastvsr.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StageBenchResultTest {
    @Test
    void theBestRunOfEachColumnIsTakenOnItsOwn() {
        var a = new StageBench.Result(240, 1900, 120, 25, 26);
        var b = new StageBench.Result(240, 4800, 150, 34, 28);
        var best = StageBench.Result.best(List.of(a, b));
        assertEquals(new StageBench.Result(240, 4800, 150, 34, 28), best);
        assertEquals("encode", best.slowestStage());
        assertEquals(28 / 34.0, best.efficiency(), 1e-9);
        // one disturbed encode run does not decide the ratio once a steadier one exists
        var c = new StageBench.Result(240, 3000, 140, 36, 35);
        assertEquals(35 / 36.0, StageBench.Result.best(List.of(a, b, c)).efficiency(), 1e-9);
    }
}
