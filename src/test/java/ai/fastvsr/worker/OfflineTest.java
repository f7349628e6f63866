package ai.fastvsr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

/** DJL reads its telemetry switch from the environment or system properties; the app sets the latter itself. */
class OfflineTest {
    @Test
    void djlSeesBothSwitchesAfterStartUp() {
        Offline.enforce();
        assertTrue(Utils.isOfflineMode(), "ai.djl.offline");
        assertEquals("true", Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING"));
        assertEquals("OnnxRuntime", System.getProperty("ai.djl.default_engine"));
    }
}
