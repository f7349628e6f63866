package ai.fastvsr.split;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.pipeline.JobDir;
import ai.fastvsr.storage.ObjectStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a split's manifest from the store. The manifest is also the split's liveness: it exists from the parent's
 * cut until the join's completed event or the parent's failure has been published, and is removed with the rest
 * of the split's objects after that.
 */
final class Manifests {
    private static final Logger LOG = LoggerFactory.getLogger(Manifests.class);
    private final ObjectStore store;
    private final ObjectMapper json;
    private final Path workDir;

    Manifests(ObjectStore store, ObjectMapper json, Path workDir) {
        this.store = store;
        this.json = json;
        this.workDir = workDir;
    }

    /** The manifest at {@code at}, or empty when the split is over (or never was). */
    Optional<Manifest> read(S3Location at) throws Failure {
        if (store.head(at).isEmpty()) {
            return Optional.empty();
        }
        // in a job dir of its own: a worker killed while reading leaves nothing that the start-up sweep keeps
        try (JobDir dir = JobDir.forJob(workDir, "manifest")) {
            Path file = dir.path().resolve("manifest.json");
            store.download(at, null, file);
            return Optional.of(json.readValue(file.toFile(), Manifest.class));
        } catch (IOException e) {
            throw new Failure(ErrorCode.INTERNAL, true, Phase.JOINING, "unreadable manifest " + at + ": " + e, e);
        }
    }

    /** Removes every object of a split; what cannot be removed now is left to the bucket's lifecycle rule. */
    static void removeQuietly(ObjectStore store, S3Location prefix) {
        try {
            int removed = store.deleteAll(prefix);
            LOG.info("removed the {} objects of split {}", removed, prefix);
        } catch (Failure e) {
            LOG.warn("could not remove split {}: {} (left to the lifecycle rule)", prefix, e.getMessage());
        }
    }

    /** The split's prefix: the folder the manifest lies in. */
    static S3Location prefixOf(S3Location manifest) {
        String key = manifest.key();
        return new S3Location(manifest.bucket(), key.substring(0, key.lastIndexOf('/') + 1));
    }
}
