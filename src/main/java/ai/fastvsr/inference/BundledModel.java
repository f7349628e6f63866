package ai.fastvsr.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The default model, packed in the jar (models/fastvsr-tiny as class-path resources), so the jar runs from any
 * folder. ONNX Runtime opens files, so the first use unpacks the card and its ONNX files into a folder named after
 * the graph's sha256 under the temp directory ({@link UnpackedFolder}); later runs reuse it, and {@link Upscaler} checks the sums either way.
 */
public final class BundledModel {
    /** Where the model lives on the class path (the pom copies models/fastvsr-tiny there). */
    public static final String RESOURCE_DIR = "models/fastvsr-tiny";

    private BundledModel() {}

    /** The bundled model's card, read from the jar without unpacking anything. */
    public static ModelCard card(ObjectMapper json) throws IOException {
        try (InputStream in = open("model.json")) {
            return json.readValue(in, ModelCard.class);
        }
    }

    /** True when this build carries the default model (every build of the pom does). */
    public static boolean present() {
        return BundledModel.class.getClassLoader().getResource(RESOURCE_DIR + "/model.json") != null;
    }

    /** A model directory holding the bundled model, unpacked on first use. */
    public static Path directory(ObjectMapper json) throws IOException {
        ModelCard card = card(json);
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "fastvsr-models");
        Path target = root.resolve(
                card.name() + "-" + card.version() + "-" + card.files().sha256().substring(0, 16));
        return UnpackedFolder.install(target, "model.json", staging -> {
            for (String name : files(card)) {
                try (InputStream in = open(name)) {
                    Files.copy(in, staging.resolve(name));
                }
            }
        });
    }

    private static List<String> files(ModelCard card) {
        List<String> names = new ArrayList<>(List.of("model.json", card.files().onnx()));
        if (card.files().fp16() != null) {
            names.add(card.files().fp16().onnx());
        }
        return names;
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = BundledModel.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + "/" + name);
        if (in == null) {
            throw new IOException("this build carries no default model (" + RESOURCE_DIR + "/" + name
                    + " is not in the jar): pass --model DIR or set FASTVSR_MODEL_DIR");
        }
        return in;
    }
}
