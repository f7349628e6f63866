package ai.fastvsr.split;

import ai.fastvsr.events.JobEvents;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.Join;
import ai.fastvsr.job.JobRequest.Parent;
import ai.fastvsr.job.JobRoute;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.storage.ObjectStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the end of a child job means for its parent. The state is the store's: the renditions under the split's
 * prefix say how many children completed, and the manifest says whether the split is still on. The child whose
 * rendition completes the set publishes the parent's join job; a failed child fails the parent, naming its
 * segment, and removes the split's objects.
 */
public final class SplitChildren {
    private static final Logger LOG = LoggerFactory.getLogger(SplitChildren.class);

    private final ObjectStore store;
    private final Manifests manifests;
    private final JobEvents events;
    private final ObjectMapper json;

    public SplitChildren(ObjectStore store, JobEvents events, ObjectMapper json, Path workDir) {
        this.store = store;
        this.manifests = new Manifests(store, json, workDir);
        this.events = events;
        this.json = json;
    }

    /** After the child's completed event: the parent's progress, and its join job when all children are done. */
    public ChildDone done(@ExchangeProperty(JobRoute.JOB) JobRequest child) throws Failure {
        Parent p = child.parent();
        S3Location manifestAt = S3Location.parse(p.manifest());
        Optional<Manifest> manifest = manifests.read(manifestAt);
        if (manifest.isEmpty()) {
            LOG.info("job {}: the split of {} is over; nothing to report", child.jobId(), p.jobId());
            return null;
        }
        S3Location renditions = new S3Location(
                manifestAt.bucket(), Manifests.prefixOf(manifestAt).key() + "renditions/");
        int done = store.list(renditions).size();
        JobRequest parent = manifest.get().parent();
        CloudEvent progress = events.segments(parent, Phase.INFERENCE, p.segments(), Math.min(done, p.segments()));
        byte[] join = null;
        if (done >= p.segments()) {
            try {
                join = json.writeValueAsBytes(parent.joining(new Join(p.manifest(), p.segments())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            LOG.info("job {}: all {} segments of {} done; publishing its join", child.jobId(), done, p.jobId());
        }
        return new ChildDone(progress, p.jobId(), join);
    }

    /**
     * After the child's failed event: the parent's failed event naming the segment, or null when the split is over
     * already (another child failed first, or the parent completed).
     */
    public CloudEvent failed(
            @ExchangeProperty(JobRoute.JOB) JobRequest child,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable error)
            throws Failure {
        Parent p = child.parent();
        Optional<Manifest> manifest = manifests.read(S3Location.parse(p.manifest()));
        if (manifest.isEmpty()) {
            return null;
        }
        Failure cause = error instanceof Failure f
                ? f
                : new Failure(ErrorCode.INTERNAL, true, null, String.valueOf(error), error);
        Failure parentFailure = new Failure(
                cause.code(),
                cause.retryable(),
                cause.phase(),
                "segment " + p.segment() + " of " + p.segments() + " (job " + child.jobId() + ") failed: "
                        + cause.getMessage(),
                null);
        return events.failed(manifest.get().parent(), parentFailure, null);
    }

    /** After the parent's failed event: the split's pieces, renditions and manifest are removed. */
    public void removeSplit(@ExchangeProperty(JobRoute.JOB) JobRequest child) {
        Manifests.removeQuietly(
                store, Manifests.prefixOf(S3Location.parse(child.parent().manifest())));
    }
}
