package ai.fastvsr.split;

import ai.fastvsr.events.CompletedData.Rendition;
import ai.fastvsr.events.JobResult;
import ai.fastvsr.events.JobResult.SegmentOutput;
import ai.fastvsr.events.MediaSummary;
import ai.fastvsr.events.Timing;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRoute;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.pipeline.JobDir;
import ai.fastvsr.pipeline.JobProcessor;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.video.Container;
import ai.fastvsr.video.EncodeSettings;
import ai.fastvsr.video.MediaInfo;
import ai.fastvsr.video.MediaReader;
import ai.fastvsr.video.SegmentJoin;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A split parent's join job: the children's renditions concatenated without re-encoding, the input's audio,
 * subtitles and chapters muxed once, stored as the parent's output with the parent's identity (so a redelivered
 * parent is answered from it); then, after the completed event, the split's objects are removed. A join job that
 * finds the output stored and the split's objects gone was done and announced before: it publishes nothing.
 */
public final class SplitJoiner {
    private static final Logger LOG = LoggerFactory.getLogger(SplitJoiner.class);
    private final ObjectStore store;
    private final JobProcessor processor;
    private final Manifests manifests;
    private final Path workDir;

    public SplitJoiner(ObjectStore store, JobProcessor processor, ObjectMapper json, Path workDir) {
        this.store = store;
        this.processor = processor;
        this.manifests = new Manifests(store, json, workDir);
        this.workDir = workDir;
    }

    /** @return the parent's {@link JobResult}, or {@link AlreadyJoined} */
    public Object join(@ExchangeProperty(JobRoute.JOB) JobRequest job) throws Failure {
        Optional<JobResult> done = processor.admit(job);
        S3Location manifestAt = S3Location.parse(job.join().manifest());
        Optional<Manifest> manifest = manifests.read(manifestAt);
        if (done.isPresent()) {
            return manifest.isPresent() ? done.get() : new AlreadyJoined(job.jobId());
        }
        if (manifest.isEmpty()) {
            throw new Failure(
                    ErrorCode.INPUT_NOT_FOUND,
                    false,
                    Phase.JOINING,
                    "the split's manifest " + manifestAt + " is gone: the split failed or was removed",
                    null);
        }
        S3Location from = JobProcessor.location(job.input().uri());
        S3Location to = JobProcessor.location(job.output().uri());
        try (JobDir dir = JobDir.forJob(workDir, job.jobId())) {
            Map<String, Long> timings = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            Path input = dir.path().resolve("input");
            store.download(from, job.input().versionId(), input);
            List<SegmentJoin.Piece> pieces = new ArrayList<>();
            List<SegmentOutput> segments = new ArrayList<>();
            for (Manifest.Part part : manifest.get().segments()) {
                S3Location at = S3Location.parse(part.rendition());
                Path file = dir.path().resolve("r" + part.index());
                store.download(at, null, file);
                pieces.add(new SegmentJoin.Piece(file, part.firstPts()));
                Rendition child = processor
                        .storedResult(part.jobId(), at)
                        .map(JobResult::output)
                        .orElseThrow(() -> new Failure(
                                ErrorCode.INTERNAL,
                                true,
                                Phase.JOINING,
                                "rendition " + at + " was not written by " + part.jobId(),
                                null));
                segments.add(new SegmentOutput(part.index(), part.jobId(), part.firstFrame(), child));
            }
            long t1 = System.nanoTime();
            timings.put(Timing.DOWNLOAD.key(), (t1 - t0) / 1_000_000);
            Path output = dir.path().resolve("output");
            MediaInfo in = MediaReader.probe(input);
            // the children's container: they chose it from the same job and rendition keys with the output's extension
            EncodeSettings settings = JobProcessor.encodeSettings(job, to);
            Container container = Container.choose(settings.container(), to.key(), Container.MP4);
            SegmentJoin.Joined joined = SegmentJoin.join(input, pieces, output, container, settings);
            if (joined.framesWritten() != manifest.get().frames()) {
                throw new Failure(
                        ErrorCode.INTERNAL,
                        false,
                        Phase.JOINING,
                        "the renditions hold " + joined.framesWritten() + " frames, the input "
                                + manifest.get().frames(),
                        null);
            }
            long t2 = System.nanoTime();
            timings.put(Timing.PROCESS.key(), (t2 - t1) / 1_000_000);
            MediaInfo out = MediaReader.probe(output).withFrames(joined.framesWritten());
            MediaSummary input0 = MediaSummary.of(
                    from.uri(),
                    store.size(from, job.input().versionId()),
                    in.withFrames(manifest.get().frames()));
            String encoder = segments.get(0).output().encoder();
            Rendition rendition = processor.store(job, output, to, container, out, encoder, joined.warnings(), input0);
            timings.put(Timing.UPLOAD.key(), (System.nanoTime() - t2) / 1_000_000);
            LOG.info(
                    "job {}: joined {} segments, {} frames, into {} ({} ms)",
                    job.jobId(),
                    segments.size(),
                    joined.framesWritten(),
                    to,
                    (System.nanoTime() - t0) / 1_000_000);
            return new JobResult(rendition, input0, timings, false, List.copyOf(segments));
        }
    }

    /** After the parent's completed event: the split's pieces, renditions and manifest are removed. */
    public void cleanup(@ExchangeProperty(JobRoute.JOB) JobRequest job) {
        Manifests.removeQuietly(
                store, Manifests.prefixOf(S3Location.parse(job.join().manifest())));
    }
}
