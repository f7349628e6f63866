package ai.fastvsr.pipeline;

import ai.fastvsr.events.CompletedData.Rendition;
import ai.fastvsr.events.JobResult;
import ai.fastvsr.events.MediaSummary;
import ai.fastvsr.events.Timing;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.JobAbandoned;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRoute;
import ai.fastvsr.job.Limits;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.storage.Checksums;
import ai.fastvsr.storage.ObjectHead;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.storage.StoredObject;
import ai.fastvsr.video.Container;
import ai.fastvsr.video.EncodeSettings;
import ai.fastvsr.video.MediaInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job from object to object: check it may touch what it names, skip it if its output already exists (a
 * redelivery), check the input's size, download it to a private temp dir, run the frame path, upload the output
 * with the job's identity and result in its metadata. The temp dir is removed on every path out.
 */
public final class JobProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcessor.class);
    /** Output metadata: which job wrote the object, and what the completed event said about it. */
    static final String META_JOB = "jobid";

    static final String META_RESULT = "fastvsr-result";
    /** Warnings kept in the event (and in the object's metadata, which S3 caps at 2 KiB in all). */
    static final int MAX_WARNINGS = 4;

    private final ObjectStore store;
    private final UpscalePipeline pipeline;
    private final String modelName;
    private final String modelVersion;
    private final Path workDir;
    private final AccessPolicy access;
    private final Limits limits;
    private final ObjectMapper json = new ObjectMapper();
    private final Function<JobRequest, Progress> progressFor;
    /** Threads running a job now: one per concurrent job (Kafka consumer). */
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    /** @param progressFor how each job reports where it is (progress events in the worker) */
    public JobProcessor(
            ObjectStore store,
            UpscalePipeline pipeline,
            String modelName,
            String modelVersion,
            Path workDir,
            AccessPolicy access,
            Limits limits,
            Function<JobRequest, Progress> progressFor) {
        this.progressFor = progressFor;
        this.store = store;
        this.pipeline = pipeline;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        this.workDir = workDir;
        this.access = access;
        this.limits = limits;
    }

    public JobResult process(@ExchangeProperty(JobRoute.JOB) JobRequest job) throws Failure {
        running.add(Thread.currentThread());
        try {
            return run(job);
        } catch (Failure e) {
            if (JobAbandoned.isInterruption(e)) {
                LOG.warn("job {}: abandoned at shutdown, temp files removed, offset not committed", job.jobId());
                throw new JobAbandoned(job.jobId(), e);
            }
            throw e;
        } finally {
            synchronized (this) {
                running.remove(Thread.currentThread());
                notifyAll();
            }
        }
    }

    /**
     * Shutdown after the grace period: interrupts the jobs in flight, if any, and waits (bounded) until they have
     * cleaned up. They are then neither completed nor failed; Kafka redelivers them.
     */
    public synchronized void abandonRunning(long waitMillis) throws InterruptedException {
        if (running.isEmpty()) {
            return;
        }
        running.forEach(Thread::interrupt);
        long deadline = System.currentTimeMillis() + waitMillis;
        while (!running.isEmpty() && System.currentTimeMillis() < deadline) {
            wait(Math.max(1, deadline - System.currentTimeMillis()));
        }
    }

    /**
     * Checks that the job may run here (its model, what it reads and writes) and answers it when its output
     * already exists, written by this jobId (a redelivery): then nothing needs to run.
     */
    public Optional<JobResult> admit(JobRequest job) throws Failure {
        if (job.model() != null && !job.model().equals(modelName)) {
            throw new Failure(
                    ErrorCode.INVALID_JOB,
                    Phase.VALIDATING,
                    "this worker serves model " + modelName + ", the job asks for " + job.model());
        }
        S3Location from = location(job.input().uri());
        S3Location to = location(job.output().uri());
        if (job.parent() != null) {
            // a split's child reads its piece from and writes its rendition to the split area
            access.checkSplitObject(from);
            access.checkSplitObject(to);
        } else {
            access.checkInput(from);
            access.checkOutput(to);
        }
        Optional<JobResult> done = alreadyDone(job, to);
        done.ifPresent(
                d -> LOG.info("job {}: output {} already written by this job; reporting it again", job.jobId(), to));
        return done;
    }

    private JobResult run(JobRequest job) throws Failure {
        Optional<JobResult> done = admit(job);
        if (done.isPresent()) {
            return done.get();
        }
        S3Location from = location(job.input().uri());
        S3Location to = location(job.output().uri());
        long inputBytes = store.size(from, job.input().versionId());
        limits.checkSize(inputBytes);
        Progress progress = progressFor.apply(job);

        try (JobDir jobDir = JobDir.forJob(workDir, job.jobId())) {
            Path dir = jobDir.path();
            Map<String, Long> timings = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            Path input = dir.resolve("input");
            progress.phase(Phase.DOWNLOADING);
            store.download(from, job.input().versionId(), input);
            long t1 = System.nanoTime();
            timings.put(Timing.DOWNLOAD.key(), (t1 - t0) / 1_000_000);

            // no extension: the container comes from the job, the output key's extension or the input
            Path output = dir.resolve("output");
            AtomicLong framesTotal = new AtomicLong();
            progress.phase(Phase.INFERENCE);
            FrameWindow window = FrameWindow.of(job.range(), pipeline.clipFrames());
            UpscaleStats stats = pipeline.run(
                    input,
                    output,
                    encodeSettings(job, to),
                    window,
                    info -> {
                        limits.checkMedia(info.width(), info.height(), info.durationMs(), info.frameCount());
                        framesTotal.set(window.isRange() ? window.count() : info.frameCount());
                    },
                    written -> progress.frames(written, framesTotal.get()));
            long t2 = System.nanoTime();
            timings.put(Timing.PROCESS.key(), (t2 - t1) / 1_000_000);

            MediaInfo in = stats.input();
            MediaSummary input0 = MediaSummary.of(from.uri(), inputBytes, in);
            MediaInfo out = stats.output();
            progress.phase(Phase.UPLOADING);
            Rendition rendition =
                    store(job, output, to, stats.container(), out, stats.encoder(), stats.warnings(), input0);
            timings.put(Timing.UPLOAD.key(), (System.nanoTime() - t2) / 1_000_000);
            LOG.info(
                    "job {}: {} frames {}x{} -> {}x{} {} in {} ms ({} fps){}",
                    job.jobId(),
                    stats.framesWritten(),
                    in.width(),
                    in.height(),
                    out.width(),
                    out.height(),
                    stats.encoder(),
                    stats.totalMs(),
                    String.format("%.1f", stats.framesPerSecond()),
                    stats.warnings().isEmpty() ? "" : "; " + String.join("; ", stats.warnings()));
            return new JobResult(rendition, input0, timings, false);
        }
    }

    /**
     * Uploads a job's finished output to {@code to} with the job's identity and result in its metadata (what
     * answers a redelivery), and describes it as stored.
     */
    public Rendition store(
            JobRequest job,
            Path output,
            S3Location to,
            Container container,
            MediaInfo out,
            String encoder,
            List<String> warnings,
            MediaSummary input)
            throws Failure {
        String sha256 = sha256(output);
        Rendition planned = Rendition.planned(
                to.uri(),
                size(output),
                sha256,
                out,
                encoder,
                warnings.stream().limit(MAX_WARNINGS).toList());
        String result;
        try {
            result = json.writeValueAsString(new StoredResult(planned, input));
        } catch (IOException e) {
            throw new Failure(ErrorCode.INTERNAL, true, Phase.UPLOADING, "result metadata: " + e, e);
        }
        StoredObject stored = store.upload(
                output,
                to,
                container.mimeType(),
                Map.of(
                        META_JOB,
                        job.jobId(),
                        "model",
                        modelName,
                        "model-version",
                        modelVersion,
                        "sha256",
                        sha256,
                        META_RESULT,
                        result));
        return planned.stored(to.uri(), stored.etag(), stored.versionId(), stored.sizeBytes());
    }

    /** What job {@code jobId} stored at {@code at}, read from the object's metadata; empty when it did not. */
    public Optional<JobResult> storedResult(String jobId, S3Location at) throws Failure {
        Optional<ObjectHead> head = store.head(at);
        Map<String, String> m = head.map(ObjectHead::userMetadata).orElse(Map.of());
        if (!jobId.equals(m.get(META_JOB)) || !m.containsKey(META_RESULT)) {
            return Optional.empty();
        }
        StoredObject stored = head.get().object();
        try {
            StoredResult r = json.readValue(m.get(META_RESULT), StoredResult.class);
            Rendition rendition = r.output().stored(at.uri(), stored.etag(), stored.versionId(), stored.sizeBytes());
            return Optional.of(new JobResult(rendition, r.input(), Map.of(), true));
        } catch (IOException | RuntimeException e) {
            LOG.warn("job {}: unreadable result metadata on {}, processing again: {}", jobId, at, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Removes the temp dirs of jobs that no live worker runs: those a killed worker left (at start-up) and, with
     * {@code ownToo}, this worker's own (at shutdown, once its jobs were given up).
     */
    public int sweepTempDirs(boolean ownToo) {
        return JobDir.sweep(workDir, ownToo);
    }

    /**
     * The job's encode and streams wishes; the container falls back to the output key's extension. A ranged job
     * (a split's segment) writes video only.
     */
    public static EncodeSettings encodeSettings(JobRequest job, S3Location to) {
        JobRequest.Encode e = job.encode();
        Container byName = Container.ofFileName(to.key());
        String container = e.container() != null ? e.container() : byName != null ? byName.label() : null;
        JobRequest.Streams streams = job.streams();
        return new EncodeSettings(
                container,
                e.codec(),
                e.pixFmt(),
                e.crf(),
                e.preset(),
                e.bitrate(),
                job.range() == null && !"drop".equals(streams.audio()),
                job.range() == null && !"drop".equals(streams.subtitles()),
                job.range() != null ? job.range().frameRate() : null);
    }

    /** What is kept in the output's metadata, so a redelivered job can be answered from one HEAD request. */
    record StoredResult(Rendition output, MediaSummary input) {}

    private Optional<JobResult> alreadyDone(JobRequest job, S3Location to) throws Failure {
        return storedResult(job.jobId(), to);
    }

    public static S3Location location(String uri) throws Failure {
        try {
            return S3Location.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new Failure(ErrorCode.INVALID_JOB, Phase.VALIDATING, e.getMessage());
        }
    }

    private static long size(Path file) throws Failure {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new Failure(ErrorCode.INTERNAL, true, Phase.UPLOADING, "cannot stat output: " + e, e);
        }
    }

    private static String sha256(Path file) throws Failure {
        try {
            return Checksums.sha256(file);
        } catch (IOException e) {
            throw new Failure(ErrorCode.INTERNAL, true, Phase.UPLOADING, "cannot hash output: " + e, e);
        }
    }
}
