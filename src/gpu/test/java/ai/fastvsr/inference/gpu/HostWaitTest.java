package ai.fastvsr.inference.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FASTVSR_CUDA_WAIT's values, and the one error line for a wrong one. */
class HostWaitTest {
    @Test
    void unsetMeansCudasOwnDefault() {
        assertEquals(HostWait.AUTO, HostWait.parse(null));
        assertEquals(HostWait.AUTO, HostWait.parse(" "));
    }

    @Test
    void namesInAnyCase() {
        assertEquals(HostWait.BLOCK, HostWait.parse("block"));
        assertEquals(HostWait.SPIN, HostWait.parse(" Spin "));
        assertEquals(HostWait.YIELD, HostWait.parse("YIELD"));
    }

    @Test
    void aWrongValueNamesTheVariableAndTheChoices() {
        var e = assertThrows(IllegalArgumentException.class, () -> HostWait.parse("blocking"));
        assertTrue(
                e.getMessage().startsWith("FASTVSR_CUDA_WAIT=blocking: expected one of auto, spin, yield, block"),
                e.getMessage());
    }

    @Test
    void eachModeIsADifferentCudaFlag() {
        assertEquals(
                4,
                java.util.Arrays.stream(HostWait.values())
                        .mapToInt(HostWait::flag)
                        .distinct()
                        .count());
    }
}
