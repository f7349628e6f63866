package ai.fastvsr.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobReaderTest {
    private final JobReader reader = new JobReader(new ObjectMapper());

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String VALID = """
            {"jobId":"cam7-000042","input":{"uri":"s3://ingest/cam7/seg-000042.mp4","versionId":null},
             "output":{"uri":"s3://renditions/cam7/seg-000042.x4.mp4"},"model":"fastvsr-tiny","scale":4,
             "encode":{"codec":"h264","crf":18},"userMetadata":{"assetId":"A-77"},"someFutureField":true}""";

    @Test
    void readsAValidJobAndIgnoresUnknownFields() throws Exception {
        JobRequest job = reader.read(utf8(VALID));
        assertEquals("cam7-000042", job.jobId());
        assertEquals(
                new S3Location("ingest", "cam7/seg-000042.mp4"), job.input().location());
        assertEquals("fastvsr-tiny", job.model());
        assertEquals(18, job.encode().crf());
        assertEquals("A-77", job.userMetadata().get("assetId"));
    }

    @Test
    void readsAJobWrappedInAStructuredCloudEvent() throws Exception {
        String event = "{\"specversion\":\"1.0\",\"type\":\"ai.fastvsr.job.requested\",\"source\":\"urn:mam\","
                + "\"id\":\"1\",\"data\":" + VALID + "}";
        assertEquals("cam7-000042", reader.read(utf8(event)).jobId());
    }

    @Test
    void junkIsPoisonWithoutJobId() {
        PoisonMessage e = assertThrows(PoisonMessage.class, () -> reader.read(utf8("{nope")));
        assertTrue(e.getMessage().startsWith("not JSON"), e.getMessage());
        assertEquals(Optional.empty(), e.jobId());
        assertThrows(PoisonMessage.class, () -> reader.read(new byte[0]));
        assertThrows(PoisonMessage.class, () -> reader.read(utf8("[1,2]")));
    }

    @Test
    void schemaViolationsArePoisonButKeepAReadableJobId() {
        PoisonMessage e = assertThrows(
                PoisonMessage.class,
                () -> reader.read(
                        utf8(
                                "{\"jobId\":\"j1\",\"input\":{\"uri\":\"http://evil/x.mp4\"},\"output\":{\"uri\":\"s3://renditions/x\"}}")));
        assertTrue(e.getMessage().contains("$.input.uri"), e.getMessage());
        assertEquals(Optional.of("j1"), e.jobId());
    }

    @Test
    void anInvalidJobIdIsNeverEchoed() {
        PoisonMessage e = assertThrows(
                PoisonMessage.class,
                () -> reader.read(
                        utf8(
                                "{\"jobId\":\"../../etc\",\"input\":{\"uri\":\"s3://ingest/a\"},\"output\":{\"uri\":\"s3://renditions/b\"}}")));
        assertEquals(Optional.empty(), e.jobId());
    }

    @Test
    void oversizedMessagesAreRejectedBeforeParsing() {
        byte[] big = new byte[JobReader.MAX_BYTES + 1];
        PoisonMessage e = assertThrows(PoisonMessage.class, () -> reader.read(big));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void s3LocationsRejectOtherSchemes() {
        assertEquals(new S3Location("b", "k/x.mp4"), S3Location.parse("s3://b/k/x.mp4"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("http://b/k"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("file:///etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://bucket-only"));
    }
}
