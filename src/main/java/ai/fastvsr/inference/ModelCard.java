package ai.fastvsr.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code model.json}: the contract between models/ and the worker (docs/contracts.md, "Model card"). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCard(
        String name,
        String version,
        String architecture,
        int scale,
        Port input,
        Port output,
        Clip clip,
        Tile tile,
        Files files,
        String training) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Port(String name, String layout, List<Double> range, String colour, Integer multipleOf) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Clip(int frames, int overlap) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tile(int size, int overlap) {}

    /**
     * TensorRT plans are not files of the card: the worker builds them per GPU and caches them
     * ({@code build-engine}). {@code fp16}: an optional graph that computes in float16 inside but keeps float32 input and output (same
     * names, shapes and range as {@code onnx}); the CUDA engine runs it when {@code --fp16} is on.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Files(String onnx, String sha256, Variant fp16) {
        public Files(String onnx, String sha256) {
            this(onnx, sha256, null);
        }
    }

    /** Another ONNX file of the same model, checked like the main one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Variant(String onnx, String sha256) {}

    public static ModelCard read(Path modelDir, ObjectMapper json) throws IOException {
        return json.readValue(java.nio.file.Files.readAllBytes(modelDir.resolve("model.json")), ModelCard.class);
    }

    public int multipleOf() {
        return input.multipleOf() == null ? 1 : Math.max(1, input.multipleOf());
    }

    public int clipFrames() {
        return clip == null ? 1 : Math.max(1, clip.frames());
    }

    /** Frames shared by neighbouring clips (always fewer than {@link #clipFrames()}). */
    public int clipOverlap() {
        return clip == null ? 0 : Math.max(0, Math.min(clip.overlap(), clipFrames() - 1));
    }

    private static boolean unitRange(List<Double> range) {
        return range == null || (range.size() == 2 && range.get(0) == 0.0 && range.get(1) == 1.0);
    }

    /** What is wrong with this card on its face, before the model is even opened; null when nothing is. */
    public String problem() {
        if (scale != 4) {
            return "scale " + scale + " is not supported (the worker upscales 4x)";
        }
        if (input == null || !"NCTHW".equals(input.layout()) || output == null || !"NCTHW".equals(output.layout())) {
            return "input and output layout must be NCTHW";
        }
        if (files == null || files.onnx() == null || files.sha256() == null) {
            return "files.onnx and files.sha256 are required";
        }
        if (files.fp16() != null && (files.fp16().onnx() == null || files.fp16().sha256() == null)) {
            return "files.fp16 needs onnx and sha256";
        }
        if (!unitRange(input.range()) || !unitRange(output.range())) {
            return "input and output range must be [0, 1]";
        }
        if (input.colour() != null && !"RGB".equals(input.colour())) {
            return "input colour must be RGB, not " + input.colour();
        }
        if (input.multipleOf() != null && (input.multipleOf() < 1 || input.multipleOf() > 256)) {
            return "input.multipleOf " + input.multipleOf() + " is outside 1..256";
        }
        if (clip != null && (clip.frames() < 1 || clip.overlap() < 0 || clip.overlap() >= clip.frames())) {
            return "clip.overlap must be in [0, clip.frames)";
        }
        if (tile != null
                && tile.size() > 0
                && (tile.size() % multipleOf() != 0 || 2 * tile.overlap() >= tile.size() || tile.overlap() < 0)) {
            return "tile.size must be a multiple of input.multipleOf and tile.overlap under half of it";
        }
        return null;
    }
}
