package ai.fastvsr.split;

import ai.fastvsr.events.JobResult;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.JobRequest.Parent;
import ai.fastvsr.job.JobRequest.Range;
import ai.fastvsr.job.JobRoute;
import ai.fastvsr.job.Limits;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.pipeline.JobDir;
import ai.fastvsr.pipeline.JobProcessor;
import ai.fastvsr.split.SegmentPlan.Segment;
import ai.fastvsr.split.SplitStarted.ChildJob;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.video.SegmentFiles;
import ai.fastvsr.video.VideoEncoders;
import ai.fastvsr.video.VideoPackets;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A split parent's own work: download the input, plan the cuts (SegmentPlan), cut its pieces at keyframes by stream
 * copy, store the pieces and the
 * manifest under the split's prefix, and hand back the child jobs for the route to publish. Names are derived
 * from the parent, so a redelivered parent overwrites the same objects and publishes the same children. A parent
 * that fails removes what it stored.
 */
public final class JobSplitter {
    private static final Logger LOG = LoggerFactory.getLogger(JobSplitter.class);
    private final ObjectStore store;
    private final JobProcessor processor;
    private final Path workDir;
    private final Limits limits;
    private final AccessPolicy access;
    private final int defaultContext;
    private final ObjectMapper json;

    /** @param defaultContext frames beyond each cut a child feeds its model, unless the job says (clip length) */
    public JobSplitter(
            ObjectStore store,
            JobProcessor processor,
            Path workDir,
            Limits limits,
            AccessPolicy access,
            int defaultContext,
            ObjectMapper json) {
        this.store = store;
        this.processor = processor;
        this.workDir = workDir;
        this.limits = limits;
        this.access = access;
        this.defaultContext = defaultContext;
        this.json = json;
    }

    /** @return a {@link SplitStarted}, or the parent's {@link JobResult} when its output exists already */
    public Object split(@ExchangeProperty(JobRoute.JOB) JobRequest job) throws Failure {
        Optional<JobResult> done = processor.admit(job);
        if (done.isPresent()) {
            return done.get();
        }
        S3Location from = JobProcessor.location(job.input().uri());
        S3Location output = JobProcessor.location(job.output().uri());
        SplitNames names = new SplitNames(job.jobId(), output, access.splitArea(output));
        limits.checkSize(store.size(from, job.input().versionId()));
        boolean stored = false;
        try (JobDir dir = JobDir.forJob(workDir, job.jobId())) {
            Path input = dir.path().resolve("input");
            store.download(from, job.input().versionId(), input);
            VideoPackets video = VideoPackets.scan(input);
            int context = job.split().context() != null ? job.split().context() : defaultContext;
            int gop = VideoEncoders.gopFrames(video.rateNum() / (double) video.rateDen());
            List<Segment> plan = SegmentPlan.plan(video, job.split().segmentSeconds(), context, gop);
            List<SegmentFiles.Piece> pieces = new ArrayList<>();
            for (Segment s : plan) {
                pieces.add(new SegmentFiles.Piece(
                        s.fromPacket(), s.toPacket(), dir.path().resolve("s" + s.index() + ".mp4")));
            }
            SegmentFiles.cut(input, pieces);
            stored = true;
            List<Manifest.Part> parts = new ArrayList<>();
            for (Segment s : plan) {
                Path piece = pieces.get(s.index()).file();
                store.upload(piece, names.segment(s.index()), "video/mp4", Map.of("jobid", job.jobId()));
                Files.delete(piece);
                parts.add(new Manifest.Part(
                        s.index(),
                        names.childId(s.index()),
                        names.segment(s.index()).uri(),
                        names.rendition(s.index()).uri(),
                        s.firstFrame(),
                        s.frameCount(),
                        s.localFirst(),
                        s.firstPts(),
                        s.warmup()));
            }
            Manifest manifest = new Manifest(
                    job,
                    video.timeBaseNum(),
                    video.timeBaseDen(),
                    video.count(),
                    video.frameRate(),
                    List.copyOf(parts));
            Path manifestFile = dir.path().resolve("manifest.json");
            json.writeValue(manifestFile.toFile(), manifest);
            store.upload(manifestFile, names.manifest(), "application/json", Map.of("jobid", job.jobId()));
            LOG.info(
                    "job {}: split into {} segments of ~{} s ({} frames, context {}); manifest {}",
                    job.jobId(),
                    plan.size(),
                    job.split().segmentSeconds(),
                    video.count(),
                    context,
                    names.manifest());
            return new SplitStarted(
                    names.manifest().uri(), plan.size(), children(job, manifest, names.manifest(), context));
        } catch (IOException e) {
            Manifests.removeQuietly(store, names.prefix());
            throw new Failure(ErrorCode.INTERNAL, true, Phase.SPLITTING, "split failed: " + e, e);
        } catch (Failure | RuntimeException e) {
            if (stored) {
                Manifests.removeQuietly(store, names.prefix());
            }
            throw e;
        }
    }

    private List<ChildJob> children(JobRequest job, Manifest manifest, S3Location manifestAt, int context)
            throws IOException {
        String manifestUri = manifestAt.uri();
        List<ChildJob> children = new ArrayList<>();
        for (Manifest.Part p : manifest.segments()) {
            JobRequest child = job.child(
                    p.jobId(),
                    new ObjectRef(p.segment(), null),
                    new ObjectRef(p.rendition(), null),
                    new Range(
                            p.localFirst(),
                            p.frameCount(),
                            context,
                            p.warmup() > 0 ? p.warmup() : null,
                            manifest.frameRate()),
                    new Parent(job.jobId(), p.index(), manifest.segments().size(), manifestUri));
            children.add(new ChildJob(child.jobId(), json.writeValueAsBytes(child)));
        }
        return children;
    }
}
