package ai.fastvsr.job;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import java.util.List;

/**
 * Which objects jobs may read and write: separate allow-lists of {@code bucket} or {@code bucket/prefix} entries
 * for inputs and outputs, plus key hygiene. A job is a request from outside; without this, anyone who can publish
 * to the job topic could make the worker read or overwrite any object its credentials reach.
 *
 * <p>The split area, {@code splitPrefix} at the root of a bucket the output list lets jobs write to, holds the
 * intermediates of split jobs (pieces, renditions, manifests, docs/reliability.md): a split's children read and
 * write there without the output list naming it, and a bucket lifecycle rule on that prefix expires what a failed
 * split left. It is never opened in a bucket that jobs may not write to.
 */
public record AccessPolicy(List<String> inputs, List<String> outputs, String splitPrefix) {
    public static final int MAX_KEY_LENGTH = 1024;
    public static final String DEFAULT_SPLIT_PREFIX = "fastvsr-splits/";

    public AccessPolicy {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        splitPrefix = splitPrefix.endsWith("/") ? splitPrefix : splitPrefix + "/";
        String problem = keyProblem(splitPrefix.substring(0, splitPrefix.length() - 1));
        if (problem != null) {
            throw new IllegalArgumentException("split prefix " + splitPrefix + ": " + problem);
        }
    }

    public AccessPolicy(List<String> inputs, List<String> outputs) {
        this(inputs, outputs, DEFAULT_SPLIT_PREFIX);
    }

    /** Everything allowed: for local tools (upscale, demo) where the user is the only producer. */
    public static AccessPolicy any() {
        return new AccessPolicy(List.of("*"), List.of("*"));
    }

    /** Parses {@code "ingest, media/in/"} into entries; blank means "*". */
    public static List<String> parseList(String value) {
        if (value == null || value.isBlank()) {
            return List.of("*");
        }
        return List.of(value.split("\\s*,\\s*")).stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> s.startsWith("s3://") ? s.substring(5) : s)
                .toList();
    }

    public void checkInput(S3Location location) throws Failure {
        check(location, inputs, Phase.VALIDATING, "input");
    }

    public void checkOutput(S3Location location) throws Failure {
        check(location, outputs, Phase.VALIDATING, "output");
    }

    /** Where a split whose parent writes {@code output} keeps its intermediates: the split area of its bucket. */
    public S3Location splitArea(S3Location output) {
        return new S3Location(output.bucket(), splitPrefix);
    }

    /**
     * A split's object (a child's piece or rendition): in the split area of a bucket jobs may write to, or, as
     * splits before the split area stored them, where outputs may be written.
     */
    public void checkSplitObject(S3Location location) throws Failure {
        String problem = keyProblem(location.key());
        if (problem == null
                && location.key().startsWith(splitPrefix)
                && outputs.stream()
                        .anyMatch(e -> e.equals("*")
                                || e.equals(location.bucket())
                                || e.startsWith(location.bucket() + "/"))) {
            return;
        }
        checkOutput(location);
    }

    private static void check(S3Location location, List<String> allowed, Phase phase, String what) throws Failure {
        String problem = keyProblem(location.key());
        if (problem != null) {
            throw new Failure(ErrorCode.INVALID_JOB, phase, what + " key " + problem);
        }
        String path = location.bucket() + "/" + location.key();
        for (String entry : allowed) {
            if (entry.equals("*")
                    || entry.equals(location.bucket())
                    || (entry.contains("/") && path.startsWith(entry))) {
                return;
            }
        }
        throw new Failure(
                ErrorCode.ACCESS_DENIED,
                phase,
                what + " " + location.uri() + " is outside the allowed " + what + " locations " + allowed);
    }

    /** Null when the key is acceptable, else why not. */
    static String keyProblem(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return "must be 1.." + MAX_KEY_LENGTH + " characters";
        }
        if (key.startsWith("/") || key.contains("//")) {
            return "must not start with / or contain //";
        }
        for (String segment : key.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                return "must not contain . or .. segments";
            }
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return "must not contain control characters or backslashes";
            }
        }
        return null;
    }
}
