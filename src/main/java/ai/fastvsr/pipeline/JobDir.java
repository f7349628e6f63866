package ai.fastvsr.pipeline;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.storage.LocalFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's private temp dir, locked while the job runs. The lock is the operating system's, so it dies with the
 * process, kill -9 included: a dir whose lock can be taken belongs to a dead worker and may be removed, even when
 * several workers share one work dir.
 */
public final class JobDir implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobDir.class);
    static final String PREFIX = "job-";
    private static final String LOCK = ".lock";

    private final Path dir;
    private final FileChannel lockFile;

    private JobDir(Path dir, FileChannel lockFile) {
        this.dir = dir;
        this.lockFile = lockFile;
    }

    static JobDir create(Path workDir, String jobId) throws IOException {
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, PREFIX + jobId + "-");
        FileChannel lock = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock.lock();
        return new JobDir(dir, lock);
    }

    /** The job's dir, or the failure that says why it cannot be made. */
    public static JobDir forJob(Path workDir, String jobId) throws Failure {
        try {
            return create(workDir, jobId);
        } catch (IOException e) {
            throw new Failure(ErrorCode.INTERNAL, true, Phase.DOWNLOADING, "cannot create temp dir: " + e, e);
        }
    }

    public Path path() {
        return dir;
    }

    /** Removes the dir; the lock goes with it. */
    @Override
    public void close() {
        try {
            lockFile.close();
            LocalFiles.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("could not remove temp dir {}: {}", dir, e.toString());
        }
    }

    /**
     * Removes the job dirs in {@code workDir} that no live worker holds: those of dead processes and, with
     * {@code ownToo}, this process's own (at shutdown, once its jobs were given up).
     *
     * @return how many were removed
     */
    static int sweep(Path workDir, boolean ownToo) {
        int removed = 0;
        try (var entries = Files.list(workDir)) {
            for (Path dir : (Iterable<Path>) entries::iterator) {
                if (dir.getFileName().toString().startsWith(PREFIX) && unheld(dir, ownToo)) {
                    LocalFiles.deleteRecursively(dir);
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.debug("work dir {}: {}", workDir, e.toString());
        }
        return removed;
    }

    private static boolean unheld(Path dir, boolean ownToo) throws IOException {
        Path lock = dir.resolve(LOCK);
        if (!Files.exists(lock)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock taken = channel.tryLock();
            return taken != null;
        } catch (OverlappingFileLockException e) {
            return ownToo;
        }
    }
}
