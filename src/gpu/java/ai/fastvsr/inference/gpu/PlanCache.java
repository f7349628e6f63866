package ai.fastvsr.inference.gpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorRT plans on disk, one per {@link PlanKey}: {@code <stem>.plan} and a sidecar {@code <stem>.key} holding the
 * key's text and the plan's sha256. A plan is used only when its sidecar names the same key and the same sha256 as
 * the bytes read; anything else (a truncated copy, a flipped bit, a plan without sidecar left by a crash mid-write,
 * a name collision) is deleted with a warning and built again. Both files are written to a temporary name and moved
 * into place, the sidecar last, so workers sharing the folder never read half a plan.
 */
final class PlanCache {
    private static final Logger LOG = LoggerFactory.getLogger(PlanCache.class);

    private final Path dir;

    PlanCache(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path planFile(PlanKey key) {
        return dir.resolve(key.fileStem() + ".plan");
    }

    private Path keyFile(PlanKey key) {
        return dir.resolve(key.fileStem() + ".key");
    }

    /** The plan's bytes when a valid one is cached, else null (an invalid one is removed on the way). */
    byte[] load(PlanKey key) {
        Path plan = planFile(key);
        if (!Files.exists(plan)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(plan);
            String sidecar = Files.exists(keyFile(key)) ? Files.readString(keyFile(key), StandardCharsets.UTF_8) : null;
            String problem = sidecar == null
                    ? "it has no " + keyFile(key).getFileName() + " (a build cut short?)"
                    : !sidecar.equals(sidecar(key, bytes)) ? mismatch(sidecar, key, bytes) : null;
            if (problem == null) {
                return bytes;
            }
            discard(key, problem);
            return null;
        } catch (IOException e) {
            discard(key, "it cannot be read (" + e.getMessage() + ")");
            return null;
        }
    }

    private static String mismatch(String sidecar, PlanKey key, byte[] bytes) {
        return sidecar.startsWith(key.text())
                ? "its sha256 is " + PlanKey.sha256(bytes) + ", not the one recorded " + "when it was built (damaged)"
                : "its sidecar was written for another key";
    }

    /** Stores a freshly built plan; returns its path. */
    Path store(PlanKey key, byte[] plan) {
        try {
            Files.createDirectories(dir);
            Path target = planFile(key);
            write(target, plan);
            write(keyFile(key), sidecar(key, plan).getBytes(StandardCharsets.UTF_8));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the TensorRT plan in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes a plan that must not be used, saying why; the caller builds a new one. */
    void discard(PlanKey key, String why) {
        LOG.warn("TensorRT plan {} is not used and will be rebuilt: {}", planFile(key), why);
        try {
            Files.deleteIfExists(keyFile(key));
            Files.deleteIfExists(planFile(key));
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", planFile(key), e.getMessage());
        }
    }

    private static String sidecar(PlanKey key, byte[] plan) {
        return key.text() + "plan sha256 " + PlanKey.sha256(plan) + "\nplan bytes " + plan.length + "\n";
    }

    private void write(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
