package ai.fastvsr.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the bytes of a job-topic record into a {@link JobRequest}, or a {@link PoisonMessage} saying why not.
 * Accepts the job JSON itself or a structured-mode CloudEvent carrying it as {@code data}.
 */
public final class JobReader {
    /** Larger records are not jobs; reading them would only cost memory. */
    public static final int MAX_BYTES = 64 * 1024;

    private final ObjectMapper json;
    private final JsonSchema schema;

    public JobReader(ObjectMapper json) {
        this.json = json;
        try (InputStream in = JobReader.class.getResourceAsStream("/schemas/job-request.schema.json")) {
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("job schema missing from the jar", e);
        }
    }

    public JobRequest read(byte[] raw) throws PoisonMessage {
        if (raw == null || raw.length == 0) {
            throw new PoisonMessage("empty message", null, null);
        }
        if (raw.length > MAX_BYTES) {
            throw new PoisonMessage("message of " + raw.length + " bytes exceeds " + MAX_BYTES, null, null);
        }
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (IOException e) {
            throw new PoisonMessage("not JSON: " + e.getMessage(), null, e);
        }
        if (node != null && node.has("specversion") && node.has("data")) {
            node = node.get("data");
        }
        if (node == null || !node.isObject()) {
            throw new PoisonMessage("not a JSON object", null, null);
        }
        String jobId = node.path("jobId").isTextual() ? node.get("jobId").asText() : null;
        Set<ValidationMessage> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            String why =
                    errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
            throw new PoisonMessage("job does not match the schema: " + why, validJobIdOrNull(jobId), null);
        }
        try {
            return json.treeToValue(node, JobRequest.class);
        } catch (IOException e) {
            throw new PoisonMessage("job could not be bound: " + e.getMessage(), validJobIdOrNull(jobId), e);
        }
    }

    /** A jobId that itself breaks the schema must not be echoed as an event key. */
    private static String validJobIdOrNull(String jobId) {
        return jobId != null && jobId.matches("[A-Za-z0-9._-]{1,128}") ? jobId : null;
    }
}
