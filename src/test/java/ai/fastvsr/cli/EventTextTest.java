package ai.fastvsr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.intake.IntakeSettings;
import ai.fastvsr.intake.OutputTemplate;
import ai.fastvsr.job.JobIds;
import ai.fastvsr.job.S3Location;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class EventTextTest {
    private final EventText text = new EventText();

    private static CloudEvent event(String type, String data) {
        return CloudEventBuilder.v1()
                .withId("1")
                .withSource(URI.create("urn:t"))
                .withType(type)
                .withSubject("j-1")
                .withData("application/json", data.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    @Test
    void progressIsABarWithFramesFpsAndEta() {
        String line = text.summary(event("ai.fastvsr.job.progress", """
                {"jobId":"j-1","phase":"INFERENCE","percent":50,"framesDone":120,"framesTotal":240,"fps":23.94,
                 "etaMs":65000}"""));
        assertEquals("[############............]  50%  INFERENCE    120/240 frames  23.9 fps  ETA 1:05", line);
    }

    @Test
    void progressWithoutFramesShowsThePhaseOnly() {
        String line = text.summary(event(
                "ai.fastvsr.job.progress",
                "{\"jobId\":\"j-1\",\"phase\":\"DOWNLOADING\",\"percent\":3,\"framesDone\":null}"));
        assertEquals("[#.......................]   3%  DOWNLOADING", line);
    }

    @Test
    void failedShowsCodePhaseAndMessage() {
        String line = text.summary(event("ai.fastvsr.job.failed", """
                {"jobId":"j-1","errorCode":"STORAGE_ERROR","message":"503","retryable":true,"failedPhase":"UPLOADING"}"""));
        assertEquals("failed     [STORAGE_ERROR] in UPLOADING (retryable): 503", line);
    }

    @Test
    void durationsAndJobIdsAsPeopleWriteThem() {
        DurationConverter d = new DurationConverter();
        assertEquals(Duration.ofSeconds(90), d.convert("90s"));
        assertEquals(Duration.ofMinutes(30), d.convert("30m"));
        assertEquals(Duration.ofHours(2), d.convert("PT2H"));
        assertThrows(TypeConversionException.class, () -> d.convert("soon"));
        assertEquals("1:01:01", EventText.duration(3_661_000));

        String id = SubmitCommand.defaultJobId(new S3Location("ingest", "cam 7/seg #42.mov"));
        assertTrue(id.matches("seg-42-[0-9a-f]{8}"), id);
        assertEquals("a/b.x4", JobIds.withoutExtension("a/b.x4.mp4"));
        assertEquals("a.d/b", JobIds.withoutExtension("a.d/b"));
        // submit's default output is the intake's, percent-encoded so that the key survives the round trip
        String to = OutputTemplate.apply(IntakeSettings.DEFAULT_OUTPUT, "ingest", "cam 7/seg #42.mov", id);
        assertEquals("s3://renditions/cam%207/seg%20%2342.x4.mp4", to);
        assertEquals("cam 7/seg #42.x4.mp4", S3Location.parse(to).key());
        assertEquals(
                "cam 7/seg #42.mov",
                S3Location.parse(new S3Location("ingest", "cam 7/seg #42.mov").uri())
                        .key());
    }
}
