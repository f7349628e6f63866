package ai.fastvsr.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The engines this build carries: ONNX Runtime on the CPU always, the GPU engines where a factory ships them. */
public final class BuildEngines {
    private BuildEngines() {}

    /** Asks the factories only what they support: nothing native is loaded. */
    public static List<EngineKind> held() {
        List<EngineKind> kinds = new ArrayList<>(List.of(EngineKind.CPU));
        try {
            for (ClipEngineFactory factory : ServiceLoader.load(ClipEngineFactory.class)) {
                for (EngineKind kind : EngineKind.values()) {
                    if (kind != EngineKind.CPU && factory.supports(kind) && !kinds.contains(kind)) {
                        kinds.add(kind);
                    }
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            // a factory listed without its classes: that engine is not usable in this build
        }
        return kinds;
    }
}
