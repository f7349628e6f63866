package ai.fastvsr.split;

import ai.fastvsr.job.JobIds;
import ai.fastvsr.job.S3Location;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a split parent's pieces live, and what its children are called: all derived from the parent's jobId and
 * output and the worker's split area, so a redelivered parent writes the same objects and publishes the same
 * children. Everything lies under one prefix, {@code <split area><parent jobId>/} (by default
 * {@code fastvsr-splits/<parent jobId>/} in the output's bucket), which a bucket lifecycle rule on the split area
 * expires (docs/reliability.md).
 *
 * @param area the split area in the output's bucket (AccessPolicy#splitArea)
 */
public record SplitNames(String parentId, S3Location output, S3Location area) {
    /** Room for the segment suffix within the contract's 128 characters. */
    private static final int MAX_PARENT_CHARS = 128 - ".s0000".length();

    public S3Location prefix() {
        return new S3Location(area.bucket(), area.key() + parentId + "/");
    }

    public S3Location manifest() {
        return under("manifest.json");
    }

    /** Segment {@code i}'s stream-copied piece of the input. */
    public S3Location segment(int i) {
        return under("segments/" + suffix(i) + ".mp4");
    }

    /** Segment {@code i}'s rendition (its child's output), in the container the parent's output will have. */
    public S3Location rendition(int i) {
        String key = output.key();
        String ext = JobIds.withoutExtension(key).equals(key) ? ".mp4" : key.substring(key.lastIndexOf('.'));
        return under("renditions/" + suffix(i) + ext);
    }

    /**
     * {@code <parent>.s0003}; a parent id too long for that keeps its first characters and a hash of the whole,
     * so different long parents never share children.
     */
    public String childId(int i) {
        String base = parentId;
        if (base.length() > MAX_PARENT_CHARS) {
            base = base.substring(0, MAX_PARENT_CHARS - 17) + "-"
                    + sha256(parentId).substring(0, 16);
        }
        return base + "." + suffix(i);
    }

    private S3Location under(String name) {
        return new S3Location(area.bucket(), prefix().key() + name);
    }

    private static String suffix(int i) {
        return String.format("s%04d", i);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
