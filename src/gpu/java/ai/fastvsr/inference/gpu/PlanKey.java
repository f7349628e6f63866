package ai.fastvsr.inference.gpu;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Everything a TensorRT plan depends on: a plan is only valid for the model it was built from, the TensorRT version
 * that built it, the GPU model and compute capability it was tuned on, its precision, its optimisation profile and
 * how hard the builder searched. Any change gives another key, so another file, so a fresh build; nothing stale is
 * ever picked up by name.
 *
 * @param modelSha256   sha256 of the ONNX file the plan is built from
 * @param tensorRt      TensorRT's library version, e.g. 8.6.1
 * @param gpu           the device's name, e.g. NVIDIA H200
 * @param arch          compute capability, e.g. sm_90
 * @param precision     fp16 or fp32
 * @param builderLevel  the builder's optimisation level (0-5)
 * @param tactics       the tactic sources mask the builder was limited to
 */
record PlanKey(
        String modelSha256,
        String tensorRt,
        String gpu,
        String arch,
        String precision,
        PlanProfile profile,
        int builderLevel,
        int tactics) {

    /** The key as text: what the plan's sidecar records and what the file name is a digest of. */
    String text() {
        return "model sha256 " + modelSha256 + "\ntensorrt " + tensorRt + "\ngpu " + gpu + "\narch " + arch
                + "\nprecision " + precision + "\nprofile " + profile.text() + "\nbuilder level " + builderLevel
                + "\ntactic sources 0x" + Integer.toHexString(tactics) + "\n";
    }

    /** {@code fastvsr-<model sha256, 12>-<arch>-<digest of the whole key, 16>}, without extension. */
    String fileStem() {
        return "fastvsr-" + modelSha256.substring(0, Math.min(12, modelSha256.length())) + "-" + arch + "-"
                + sha256(text()).substring(0, 16);
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
