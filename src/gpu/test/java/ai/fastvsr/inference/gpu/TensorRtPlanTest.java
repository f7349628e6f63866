package ai.fastvsr.inference.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.inference.ModelCard;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TensorRT engine's plan lifecycle that needs no GPU: profiles from the card, cache keys, and the cache's
 * refusal of anything it cannot vouch for. (Building and running plans is measured on the H200:
 * docs/benchmarks.md.)
 */
class TensorRtPlanTest {
    @TempDir
    Path dir;

    private final ModelCard card = read();

    private static ModelCard read() {
        try {
            return ModelCard.read(Path.of("models/fastvsr-tiny"), new ObjectMapper());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private PlanKey key(String sha, String gpu, String precision, int width, int height) {
        int[] hw = PlanProfile.tileShape(card, new ModelCard.Tile(544, 16), width, height);
        return new PlanKey(
                sha, "8.6.1", gpu, "sm_90", precision, PlanProfile.of(card, hw[0], hw[1]), 3, TensorRtBuilder.TACTICS);
    }

    @Test
    void aPlanIsForOneWholeClipOfOneTileShape() {
        int t = card.clipFrames();
        ModelCard.Tile tile = new ModelCard.Tile(544, 16);
        int[] hw = PlanProfile.tileShape(card, tile, 480, 270);
        assertArrayEquals(new int[] {272, 480}, hw, "270 rounds up to the model's multiple");
        PlanProfile p = PlanProfile.of(card, hw[0], hw[1]);
        // H and W fixed: TensorRT 8.6 cannot build this model spatially dynamic; T fixed: contexts share the plan
        assertArrayEquals(new long[] {1, 3, t, 272, 480}, p.shape(), "a whole clip");
        assertEquals("lr fixed [1, 3, " + t + ", 272, 480]", p.text());
        assertEquals(card.input().name(), p.input());
        assertArrayEquals(new int[] {544, 544}, PlanProfile.tileShape(card, tile, 1920, 1080), "1080p runs as tiles");
        assertArrayEquals(new int[] {544, 480}, PlanProfile.tileShape(card, tile, 480, 1080), "one axis tiled");
    }

    @Test
    void theFrameSizesAWorkerExpectsGiveDistinctPlansAndATileWhenNoneAreGiven() {
        ModelCard.Tile tile = new ModelCard.Tile(544, 16);
        var sizes = List.of(
                new ai.fastvsr.inference.EngineSettings.FrameSize(1920, 1080),
                new ai.fastvsr.inference.EngineSettings.FrameSize(480, 270),
                new ai.fastvsr.inference.EngineSettings.FrameSize(3840, 2160));
        var shapes = TensorRtEngineFactory.shapes(card, tile, sizes);
        assertEquals(2, shapes.size(), "1080p and 4K both run as 544x544 tiles");
        assertArrayEquals(new int[] {544, 544}, shapes.get(0));
        assertArrayEquals(new int[] {272, 480}, shapes.get(1));
        var none = TensorRtEngineFactory.shapes(card, tile, List.of());
        assertEquals(1, none.size());
        assertArrayEquals(new int[] {544, 544}, none.get(0));
    }

    @Test
    void theLargestShapeStaysBelowTensorRtsElementLimitForTheModelsAttention() {
        // fastvsr-tiny's restorer attends within each frame over (H/8)(W/8) tokens (x2, f8 latent, 2x2 patches)
        // with 4 heads: its score tensor is T x 4 x tokens^2. The formula reproduces the overflow seen on the
        // H200 at 16 frames of 544x960, and the largest tile clip must stay below it
        assertTrue(attentionElements(16, 544, 960) > PlanProfile.TENSORRT_ELEMENT_LIMIT);
        int[] hw = PlanProfile.tileShape(card, new ModelCard.Tile(GpuTiles.MAX_SIDE, 16), 4096, 4096);
        long[] max = PlanProfile.of(card, hw[0], hw[1]).shape();
        long elements = attentionElements(max[2], max[3], max[4]);
        assertTrue(elements < PlanProfile.TENSORRT_ELEMENT_LIMIT, "attention scores " + elements);
    }

    private static long attentionElements(long frames, long height, long width) {
        long tokens = (height / 8) * (width / 8);
        return frames * 4 * tokens * tokens;
    }

    @Test
    void everythingAPlanDependsOnChangesItsFile() {
        PlanKey base = key("ab".repeat(32), "NVIDIA H200", "fp16", 480, 270);
        assertEquals(
                base.fileStem(),
                key("ab".repeat(32), "NVIDIA H200", "fp16", 480, 270).fileStem());
        assertTrue(base.fileStem().startsWith("fastvsr-abababababab-sm_90-"), base.fileStem());
        assertNotEquals(
                base.fileStem(),
                key("cd".repeat(32), "NVIDIA H200", "fp16", 480, 270).fileStem(),
                "model");
        assertNotEquals(
                base.fileStem(),
                key("ab".repeat(32), "NVIDIA H100", "fp16", 480, 270).fileStem(),
                "GPU");
        assertNotEquals(
                base.fileStem(),
                key("ab".repeat(32), "NVIDIA H200", "fp32", 480, 270).fileStem(),
                "precision");
        assertNotEquals(
                base.fileStem(),
                key("ab".repeat(32), "NVIDIA H200", "fp16", 960, 540).fileStem(),
                "shape");
        PlanKey otherVersion = new PlanKey(
                base.modelSha256(),
                "10.15.1",
                base.gpu(),
                base.arch(),
                base.precision(),
                base.profile(),
                base.builderLevel(),
                base.tactics());
        assertNotEquals(base.fileStem(), otherVersion.fileStem(), "TensorRT version");
        PlanKey otherLevel = new PlanKey(
                base.modelSha256(),
                base.tensorRt(),
                base.gpu(),
                base.arch(),
                base.precision(),
                base.profile(),
                1,
                base.tactics());
        assertNotEquals(base.fileStem(), otherLevel.fileStem(), "builder level");
    }

    @Test
    void aStoredPlanIsReadBackAndOnlyForItsOwnKey() throws Exception {
        PlanCache cache = new PlanCache(dir.resolve("plans"));
        PlanKey key = key("ab".repeat(32), "NVIDIA H200", "fp16", 480, 270);
        assertNull(cache.load(key), "nothing cached yet");
        byte[] plan = randomBytes(100_000);
        Path file = cache.store(key, plan);
        assertEquals(cache.planFile(key), file);
        assertArrayEquals(plan, cache.load(key));
        assertNull(cache.load(key("ab".repeat(32), "NVIDIA H100", "fp16", 480, 270)), "another GPU: another plan");
        try (var files = Files.list(cache.dir())) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void aDamagedPlanIsDeletedAndReportedAsMissing() throws Exception {
        PlanCache cache = new PlanCache(dir);
        PlanKey key = key("ab".repeat(32), "NVIDIA H200", "fp16", 480, 270);
        byte[] plan = randomBytes(50_000);
        Path file = cache.store(key, plan);
        byte[] flipped = plan.clone();
        flipped[12_345] ^= 1;
        Files.write(file, flipped);
        assertNull(cache.load(key), "one flipped bit");
        assertTrue(Files.notExists(file), "the damaged plan is gone, so the next start builds a fresh one");

        cache.store(key, plan);
        Files.write(file, Arrays.copyOf(plan, 1000));
        assertNull(cache.load(key), "truncated");

        cache.store(key, plan);
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".key")).toList()) {
                Files.delete(f);
            }
        }
        assertNull(cache.load(key), "a plan whose build never finished writing its sidecar");
        assertTrue(Files.notExists(file));

        cache.store(key, plan);
        assertArrayEquals(plan, cache.load(key), "and a rebuilt plan is used again");
    }

    @Test
    void tensorRtVersionsAndProfilesThatCannotBeAreRefused() {
        assertEquals("8.6.1", TensorRtEngineFactory.version(8601));
        assertEquals("10.15.1", TensorRtEngineFactory.version(101501));
        assertThrows(IllegalArgumentException.class, () -> new PlanProfile("lr", 0, 272, 480));
        assertEquals(8L << 30, TensorRtBuilder.workspace(130L << 30));
        assertEquals(3L << 30, TensorRtBuilder.workspace(6L << 30));
        assertEquals(0x18, TensorRtBuilder.TACTICS, "TensorRT's own kernels only: EDGE_MASK_CONVOLUTIONS | JIT");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }
}
