package ai.fastvsr.cli;

import ai.fastvsr.inference.BundledModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/** {@code --model}: a directory on disk when given, else the default model packed in the jar. */
final class ModelDirs {
    static final String OPTION_DESCRIPTION = "model directory with model.json and the ONNX file (env "
            + "FASTVSR_MODEL_DIR; default: the model in the jar, " + BundledModel.RESOURCE_DIR + ")";

    private ModelDirs() {}

    static Path orBundled(Path modelDir) throws IOException {
        return modelDir != null ? modelDir : BundledModel.directory(new ObjectMapper());
    }
}
