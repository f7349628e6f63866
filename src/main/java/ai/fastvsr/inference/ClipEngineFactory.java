package ai.fastvsr.inference;

import ai.fastvsr.failure.Failure;
import java.nio.file.Path;

/**
 * Opens engines that live outside the CPU build (the {@code -Pgpu} build's CUDA engine), found with
 * {@link java.util.ServiceLoader}: the CPU build neither compiles nor ships them, and needs none of their
 * libraries.
 */
public interface ClipEngineFactory {
    boolean supports(EngineKind kind);

    /**
     * @param model the ONNX file to run (already checked against the card's sha256)
     * @throws Failure with MODEL_ERROR and a message naming what is missing when the engine cannot start
     */
    ClipEngine open(Path model, ModelCard card, EngineSettings settings) throws Failure;
}
