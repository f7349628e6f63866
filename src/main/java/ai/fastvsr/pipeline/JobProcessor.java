package ai.fastvsr.pipeline;

import ai.fastvsr.events.CompletedData.Rendition;
import ai.fastvsr.events.MediaSummary;
import ai.fastvsr.job.ErrorCode;
import ai.fastvsr.job.JobFailure;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.Phase;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.storage.Checksums;
import ai.fastvsr.storage.LocalFiles;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.storage.StoredObject;
import ai.fastvsr.video.EncodeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job from object to object: download the input to a private temp dir, run the frame path, upload the output
 * with the job's identity in its metadata. The temp dir is removed on every path out, success or failure.
 */
public final class JobProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcessor.class);

    private final ObjectStore store;
    private final UpscalePipeline pipeline;
    private final String modelName;
    private final String modelVersion;
    private final Path workDir;

    public JobProcessor(ObjectStore store, UpscalePipeline pipeline, String modelName, String modelVersion,
                        Path workDir) {
        this.store = store;
        this.pipeline = pipeline;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        this.workDir = workDir;
    }

    public JobResult process(JobRequest job) throws JobFailure {
        if (job.model() != null && !job.model().equals(modelName)) {
            throw new JobFailure(ErrorCode.INVALID_JOB, Phase.VALIDATING,
                    "this worker serves model " + modelName + ", the job asks for " + job.model());
        }
        S3Location from = location(job.input().uri());
        S3Location to = location(job.output().uri());
        Path dir = createJobDir(job.jobId());
        try {
            Map<String, Long> timings = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            Path input = dir.resolve("input");
            store.download(from, job.input().versionId(), input);
            long inputBytes = size(input);
            long t1 = System.nanoTime();
            timings.put("download", (t1 - t0) / 1_000_000);

            Path output = dir.resolve("output.mp4");
            JobRequest.Encode e = job.encode();
            UpscaleStats stats = pipeline.run(input, output, new EncodeSettings(e.codec(), e.crf(), e.preset(), e.bitrate()));
            long t2 = System.nanoTime();
            timings.put("process", (t2 - t1) / 1_000_000);

            String sha256 = sha256(output);
            StoredObject stored = store.upload(output, to, "video/mp4", Map.of(
                    "jobid", job.jobId(), "model", modelName, "model-version", modelVersion, "sha256", sha256));
            timings.put("upload", (System.nanoTime() - t2) / 1_000_000);
            LOG.info("job {}: {} frames {}x{} -> {}x{} in {} ms ({} fps)", job.jobId(), stats.framesWritten(),
                    stats.input().width(), stats.input().height(), stats.outputWidth(), stats.outputHeight(),
                    stats.totalMs(), String.format("%.1f", stats.framesPerSecond()));

            var in = stats.input();
            long durationMs = Math.round(stats.framesWritten() * 1000.0 / in.frameRate());
            return new JobResult(
                    new Rendition(to.uri(), stored.etag(), stored.versionId(), stored.sizeBytes(), sha256,
                            stats.videoCodec(), stats.outputWidth(), stats.outputHeight(), in.frameRateText(),
                            stats.framesWritten(), durationMs, in.audioStreams()),
                    new MediaSummary(from.uri(), inputBytes, in.codec(), in.width(), in.height(), in.frameRateText(),
                            stats.framesWritten(), in.durationMs(), in.audioStreams()),
                    timings);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static S3Location location(String uri) throws JobFailure {
        try {
            return S3Location.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new JobFailure(ErrorCode.INVALID_JOB, Phase.VALIDATING, e.getMessage());
        }
    }

    private Path createJobDir(String jobId) throws JobFailure {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, "job-" + jobId + "-");
        } catch (IOException e) {
            throw new JobFailure(ErrorCode.INTERNAL, true, Phase.DOWNLOADING, "cannot create temp dir: " + e, e);
        }
    }

    private static long size(Path file) throws JobFailure {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new JobFailure(ErrorCode.INTERNAL, true, Phase.DOWNLOADING, "cannot stat input: " + e, e);
        }
    }

    private static String sha256(Path file) throws JobFailure {
        try {
            return Checksums.sha256(file);
        } catch (IOException e) {
            throw new JobFailure(ErrorCode.INTERNAL, true, Phase.UPLOADING, "cannot hash output: " + e, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            LocalFiles.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("could not remove temp dir {}: {}", dir, e.toString());
        }
    }
}
