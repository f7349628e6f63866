package ai.fastvsr.inference;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.video.RgbImage;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A model in DJL (ONNX Runtime on the CPU; the ORT execution providers and DJL's TensorRT engine). A DJL
 * predictor is not thread-safe, so each call borrows one from a pool that grows to the number of jobs running at
 * once; {@link ClipTranslator} is the only place its tensors exist.
 */
final class DjlClipEngine implements ClipEngine {
    private final Model model;
    private final ModelCard card;
    private final EngineSettings settings;
    private final ConcurrentLinkedQueue<Predictor<Clip, Clip>> idle = new ConcurrentLinkedQueue<>();

    DjlClipEngine(Model model, ModelCard card, EngineSettings settings) {
        this.model = model;
        this.card = card;
        this.settings = settings;
    }

    @Override
    public List<RgbImage> run(List<RgbImage> clip) throws Failure {
        Predictor<Clip, Clip> predictor = idle.poll();
        if (predictor == null) {
            predictor = model.newPredictor(new ClipTranslator(card));
        }
        try {
            return predictor.predict(new Clip(clip)).frames();
        } catch (TranslateException | RuntimeException e) {
            throw new Failure(ErrorCode.MODEL_ERROR, false, Phase.INFERENCE, "inference failed: " + e.getMessage(), e);
        } finally {
            idle.add(predictor);
        }
    }

    @Override
    public ModelCard.Tile tile(ModelCard card) {
        return card.tile();
    }

    @Override
    public String describe() {
        return settings.kind().name().toLowerCase().replace('_', '-') + " (DJL "
                + model.getNDManager().getEngine().getEngineName() + ", " + settings.device()
                + (settings.onGpu() ? "" : ", " + settings.threads() + " threads") + ")";
    }

    @Override
    public void close() {
        for (Predictor<Clip, Clip> p; (p = idle.poll()) != null; ) {
            p.close();
        }
        model.close();
    }
}
