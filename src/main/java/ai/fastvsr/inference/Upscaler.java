package ai.fastvsr.inference;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.fastvsr.job.ErrorCode;
import ai.fastvsr.job.JobFailure;
import ai.fastvsr.job.Phase;
import ai.fastvsr.storage.Checksums;
import ai.fastvsr.video.RgbImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded super-resolution model: checks its card, opens it in ONNX Runtime through DJL, and proves at load time
 * that it really upscales by the card's scale, so a lying card fails at start, not mid-job.
 */
public final class Upscaler implements AutoCloseable {
    private final ModelCard card;
    private final EngineSettings engine;
    private final Model model;
    private final Predictor<Clip, Clip> predictor;

    private Upscaler(ModelCard card, EngineSettings engine, Model model) {
        this.card = card;
        this.engine = engine;
        this.model = model;
        this.predictor = model.newPredictor(new ClipTranslator(card));
    }

    /** On ONNX Runtime's CPU engine with {@code threads} intra-op threads. */
    public static Upscaler load(Path modelDir, int threads, ObjectMapper json) throws JobFailure {
        return load(modelDir, EngineSettings.cpu(threads), json);
    }

    public static Upscaler load(Path modelDir, EngineSettings engine, ObjectMapper json) throws JobFailure {
        ModelCard card;
        try {
            card = ModelCard.read(modelDir, json);
        } catch (IOException e) {
            throw modelError("cannot read " + modelDir.resolve("model.json") + ": " + e.getMessage(), e);
        }
        String problem = card.problem();
        if (problem != null) {
            throw modelError("model card " + modelDir.resolve("model.json") + ": " + problem, null);
        }
        Path onnx = modelDir.resolve(card.files().onnx());
        String actual = sha256(onnx);
        if (!actual.equalsIgnoreCase(card.files().sha256())) {
            throw modelError("checksum mismatch for " + onnx + ": card says " + card.files().sha256()
                    + ", file is " + actual, null);
        }
        Path file = engine.kind() == EngineKind.TENSORRT && card.files().plan() != null
                ? modelDir.resolve(card.files().plan()) : onnx;
        Upscaler upscaler = new Upscaler(card, engine, ModelLoader.load(file, engine));
        upscaler.selfCheck();
        return upscaler;
    }

    public ModelCard card() {
        return card;
    }

    public EngineSettings engine() {
        return engine;
    }

    public List<RgbImage> upscale(List<RgbImage> frames) throws JobFailure {
        try {
            return predictor.predict(new Clip(frames)).frames();
        } catch (TranslateException | RuntimeException e) {
            throw new JobFailure(ErrorCode.MODEL_ERROR, false, Phase.INFERENCE, "inference failed: " + e.getMessage(), e);
        }
    }

    /** One tiny clip through the model: the output must be exactly scale x the input, or the card lies. */
    private void selfCheck() throws JobFailure {
        int side = Math.max(8, card.multipleOf());
        RgbImage probe = new RgbImage(side, side, new byte[side * side * 3]);
        List<RgbImage> out;
        try {
            out = upscale(List.of(probe));
        } catch (JobFailure e) {
            close();
            throw modelError("model " + card.name() + " failed its load-time check: " + e.getMessage(), e);
        }
        RgbImage hr = out.get(0);
        if (out.size() != 1 || hr.width() != side * card.scale() || hr.height() != side * card.scale()) {
            close();
            throw modelError("model " + card.name() + " does not upscale " + card.scale() + "x", null);
        }
    }

    private static String sha256(Path file) throws JobFailure {
        try {
            return Checksums.sha256(file);
        } catch (IOException e) {
            throw modelError("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static JobFailure modelError(String message, Throwable cause) {
        return new JobFailure(ErrorCode.MODEL_ERROR, false, null, message, cause);
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
