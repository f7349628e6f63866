package ai.fastvsr.intake;

import ai.fastvsr.job.JobIds;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.S3Location;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns bucket notifications into job requests (called by camel-routes/intake.yaml). The jobId is a function of
 * the object version alone — bucket, key and versionId, or the eTag when the bucket is unversioned — so a
 * notification delivered twice yields the same jobId, which the route's idempotent consumer then drops; a new
 * upload to the same key is a new version (new eTag) and so new work.
 */
public final class MamIntake {
    private static final Logger LOG = LoggerFactory.getLogger(MamIntake.class);

    private final IntakeSettings settings;
    private final ObjectMapper json;

    public MamIntake(IntakeSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    /** The jobs a notification asks for: zero when it is not an upload we watch. Junk is logged and skipped. */
    public List<JobRequest> jobs(byte[] notification) {
        JsonNode node;
        try {
            node = json.readTree(notification);
        } catch (IOException e) {
            LOG.warn("intake: not a JSON notification, skipped: {}", e.getMessage());
            return List.of();
        }
        if (node == null) {
            return List.of();
        }
        List<JobRequest> jobs = new ArrayList<>();
        for (ObjectCreated o : MinioNotification.objectsCreated(node)) {
            if (settings.accepts(o)) {
                jobs.add(job(o));
            }
        }
        return jobs;
    }

    JobRequest job(ObjectCreated o) {
        String jobId = jobId(o);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("source", "mam-intake");
        meta.put("bucket", o.bucket());
        meta.put("key", o.key());
        if (o.eTag() != null) {
            meta.put("eTag", o.eTag());
        }
        // an upload tagged x-amz-meta-asset-id carries the MAM's id through to every event
        o.userMetadata().forEach((k, v) -> {
            if (k.equalsIgnoreCase("X-Amz-Meta-Asset-Id")) {
                meta.put("assetId", v);
            }
        });
        return new JobRequest(
                jobId,
                new ObjectRef(new S3Location(o.bucket(), o.key()).uri(), o.versionId()),
                new ObjectRef(OutputTemplate.apply(settings.outputTemplate(), o, jobId), null),
                null,
                null,
                null,
                meta);
    }

    /** The job request as the job topic carries it (same JSON as {@link ai.fastvsr.job.JobPublisher}). */
    public byte[] toJson(JobRequest job) throws IOException {
        return json.writeValueAsBytes(job);
    }

    /** {@code <file name>-<20 hex of sha256(bucket, key, versionId or eTag)>}, within the jobId pattern. */
    public static String jobId(ObjectCreated o) {
        String version = o.versionId() != null
                ? "v:" + o.versionId()
                : o.eTag() != null ? "e:" + o.eTag() : "s:" + o.sequencer();
        String identity = o.bucket() + "\n" + o.key() + "\n" + version;
        String hash;
        try {
            hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return JobIds.fromKey(o.key(), hash);
    }
}
