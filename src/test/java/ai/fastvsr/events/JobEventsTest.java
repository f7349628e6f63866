package ai.fastvsr.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.PoisonMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobEventsTest {
    private final ObjectMapper json = new ObjectMapper();
    private final JobEvents events = new JobEvents(json, new WorkerInfo("h1", "OnnxRuntime", "cpu", "m", "1"));
    private final JobRequest job = new JobRequest(
            "j-1",
            new ObjectRef("s3://ingest/a.mp4", null),
            new ObjectRef("s3://renditions/a.x4.mp4", null),
            null,
            4,
            null,
            Map.of("assetId", "A-77"));

    @Test
    void acceptedIsACloudEventKeyedByJobId() throws Exception {
        CloudEvent e = events.accepted(job);
        assertEquals("1.0", e.getSpecVersion().toString());
        assertEquals("ai.fastvsr.job.accepted", e.getType());
        assertEquals("j-1", e.getSubject());
        assertEquals("urn:fastvsr-worker:h1", e.getSource().toString());
        JsonNode data = json.readTree(e.getData().toBytes());
        assertEquals("A-77", data.path("userMetadata").path("assetId").asText());
        // round trip through the structured JSON format the worker publishes in
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        CloudEvent back = format.deserialize(format.serialize(e));
        assertEquals(e.getId(), back.getId());
    }

    @Test
    void failuresCarryTheirStableCode() throws Exception {
        CloudEvent e = events.failed(
                job, new Failure(ErrorCode.INPUT_NOT_FOUND, false, Phase.DOWNLOADING, "gone", null), null);
        JsonNode data = json.readTree(e.getData().toBytes());
        assertEquals("ai.fastvsr.job.failed", e.getType());
        assertEquals("INPUT_NOT_FOUND", data.path("errorCode").asText());
        assertEquals("DOWNLOADING", data.path("failedPhase").asText());
        assertEquals(false, data.path("retryable").asBoolean());

        JsonNode internal = json.readTree(events.failed(job, new IllegalStateException("boom"), null)
                .getData()
                .toBytes());
        assertEquals("INTERNAL", internal.path("errorCode").asText());
    }

    @Test
    void poisonWithoutJobIdHasNobodyToTell() throws Exception {
        assertNull(events.failed(null, new PoisonMessage("not JSON", null, null), null));
        CloudEvent e = events.failed(null, new PoisonMessage("schema", "j-2", null), null);
        assertEquals("j-2", e.getSubject());
        assertEquals(
                "INVALID_JOB",
                json.readTree(e.getData().toBytes()).path("errorCode").asText());
    }
}
