package ai.fastvsr.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.job.JobReader;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.S3Location;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MamIntakeTest {
    private final ObjectMapper json = new ObjectMapper();
    private final IntakeSettings settings = new IntakeSettings(
            true, "minio.events", "g", "ingest", "cam", List.of(".mp4", ".MOV"), IntakeSettings.DEFAULT_OUTPUT, "seen");
    private final MamIntake intake = new MamIntake(settings, json);

    private List<JobRequest> jobs(String notification) {
        return intake.jobs(notification.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesMinioKeysAndKeepsTheVersion() throws Exception {
        // "cam7/seg 1+2 é.mp4" as url.QueryEscape writes it
        List<JobRequest> jobs = jobs(MinioEvents.objectCreated(
                "s3:ObjectCreated:Put",
                "ingest",
                "cam7%2Fseg+1%2B2+%C3%A9.mp4",
                "9b2cf535f27731c974343645a3985328",
                "v-123",
                "17F0A1B2C3D4E5F6"));
        assertEquals(1, jobs.size());
        JobRequest job = jobs.get(0);
        assertEquals("cam7/seg 1+2 é.mp4", S3Location.parse(job.input().uri()).key());
        assertEquals("ingest", S3Location.parse(job.input().uri()).bucket());
        assertEquals("v-123", job.input().versionId());
        assertEquals(
                "cam7/seg 1+2 é.x4.mp4", S3Location.parse(job.output().uri()).key());
        assertEquals("renditions", S3Location.parse(job.output().uri()).bucket());
        assertEquals("A-77", job.userMetadata().get("assetId"));
        assertTrue(job.jobId().matches("seg-1-2-[0-9a-f]{20}"), job.jobId());
        // what the intake publishes is a job the worker accepts
        assertEquals(job.jobId(), new JobReader(json).read(intake.toJson(job)).jobId());
    }

    @Test
    void sameObjectVersionSameJobIdAndANewVersionIsNewWork() {
        String a = MinioEvents.objectCreated("s3:ObjectCreated:Put", "ingest", "cam7%2Fa.mp4", "e1", null, "S1");
        String again = MinioEvents.objectCreated("s3:ObjectCreated:Put", "ingest", "cam7%2Fa.mp4", "e1", null, "S2");
        String reuploaded =
                MinioEvents.objectCreated("s3:ObjectCreated:Put", "ingest", "cam7%2Fa.mp4", "e2", null, "S3");
        assertEquals(jobs(a).get(0).jobId(), jobs(a).get(0).jobId());
        assertEquals(jobs(a).get(0).jobId(), jobs(again).get(0).jobId(), "unversioned: eTag decides, not sequencer");
        assertNotEquals(jobs(a).get(0).jobId(), jobs(reuploaded).get(0).jobId());

        String v1 = MinioEvents.objectCreated("s3:ObjectCreated:Put", "ingest", "cam7%2Fa.mp4", "e1", "v1", "S1");
        String v2 = MinioEvents.objectCreated("s3:ObjectCreated:Put", "ingest", "cam7%2Fa.mp4", "e1", "v2", "S1");
        assertNotEquals(jobs(v1).get(0).jobId(), jobs(v2).get(0).jobId(), "versioned: versionId decides");
    }

    @Test
    void filtersByEventBucketPrefixAndSuffix() {
        assertEquals(
                1,
                jobs(MinioEvents.objectCreated(
                                "s3:ObjectCreated:CompleteMultipartUpload", "ingest", "cam7%2Fa.MP4", "e", null, "S"))
                        .size(),
                "multipart completion, suffix case-insensitive");
        assertEquals(
                1,
                jobs(MinioEvents.objectCreated("ObjectCreated:Put", "ingest", "cam7%2Fa.mov", "e", null, "S"))
                        .size(),
                "AWS-style event name");
        assertEquals(
                0,
                jobs(MinioEvents.objectCreated("s3:ObjectRemoved:Delete", "ingest", "cam7%2Fa.mp4", "e", null, "S"))
                        .size(),
                "removals are not work");
        assertEquals(
                0,
                jobs(MinioEvents.objectCreated("s3:ObjectCreated:Put", "renditions", "cam7%2Fa.mp4", "e", null, "S"))
                        .size(),
                "other bucket (our own outputs!)");
        assertEquals(
                0,
                jobs(MinioEvents.objectCreated("s3:ObjectCreated:Put", "ingest", "other%2Fa.mp4", "e", null, "S"))
                        .size(),
                "prefix");
        assertEquals(
                0,
                jobs(MinioEvents.objectCreated("s3:ObjectCreated:Put", "ingest", "cam7%2Fa.txt", "e", null, "S"))
                        .size(),
                "suffix");
        assertEquals(0, jobs("not json").size());
        assertEquals(0, jobs("{\"Records\":\"nope\"}").size());
    }

    @Test
    void outputTemplatesAndJobIdLimits() {
        ObjectCreated o = new ObjectCreated("s3:ObjectCreated:Put", "ingest", "a/b/c d.mov", null, "e", 1, "S", null);
        String id = MamIntake.jobId(o);
        assertEquals(
                "s3://out/ingest/a/b/c%20d.mov/c%20d/" + id + ".mp4",
                OutputTemplate.apply("s3://out/{bucket}/{key}/{name}/{jobId}.mp4", o, id));
        assertThrows(
                IllegalArgumentException.class,
                () -> new IntakeSettings(true, "t", "g", "", "", List.of(), "s3://out/{stem}.mp4", "seen"),
                "unknown placeholder");
        assertThrows(
                IllegalArgumentException.class,
                () -> new IntakeSettings(true, "t", "g", "", "", List.of(), "renditions/{key}", "seen"));

        ObjectCreated longName = new ObjectCreated("e", "b", "x/" + "ü".repeat(300) + ".mp4", null, "e", 1, "S", null);
        assertTrue(MamIntake.jobId(longName).matches("[A-Za-z0-9._-]{1,128}"), MamIntake.jobId(longName));
        assertNull(MinioNotification.objectsCreated(json.createObjectNode()).stream()
                .findAny()
                .orElse(null));
    }
}
