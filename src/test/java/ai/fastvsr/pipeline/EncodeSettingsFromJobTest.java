package ai.fastvsr.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.Encode;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.JobRequest.Streams;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.video.Container;
import ai.fastvsr.video.EncodeSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job's encode and streams blocks become the frame path's settings, with the defaults users expect. */
class EncodeSettingsFromJobTest {
    private static EncodeSettings settings(String outKey, Encode encode, Streams streams) {
        JobRequest job = new JobRequest(
                "j",
                new ObjectRef("s3://in/a.mkv", null),
                new ObjectRef("s3://out/" + outKey, null),
                null,
                null,
                encode,
                streams,
                null,
                null,
                null,
                null,
                Map.of());
        return JobProcessor.encodeSettings(job, S3Location.parse("s3://out/" + outKey));
    }

    @Test
    void theOutputKeysExtensionChoosesTheContainerUnlessTheJobDoes() {
        assertEquals("webm", settings("x/clip.x4.webm", null, null).container());
        assertEquals("mov", settings("x/clip.MOV", null, null).container());
        assertEquals(
                "mkv",
                settings("x/clip.webm", new Encode("mkv", null, null, null, null, null), null)
                        .container());
        assertNull(settings("x/clip-without-extension", null, null).container(), "then the input's family decides");
    }

    @Test
    void streamsAreCopiedUnlessDropped() {
        EncodeSettings all = settings("a.mp4", null, null);
        assertTrue(all.audio() && all.subtitles());
        EncodeSettings some = settings("a.mp4", null, new Streams("drop", "copy"));
        assertFalse(some.audio());
        assertTrue(some.subtitles());
    }

    @Test
    void containerFamiliesAndDefaultCodecs() {
        assertEquals(Container.MKV, Container.choose(null, "output", Container.MKV));
        assertEquals(Container.MP4, Container.choose(null, "out.m4v", Container.MKV));
        assertEquals(Container.WEBM, Container.choose("webm", "out.mp4", Container.MP4));
        assertEquals("h264", Container.MP4.defaultCodec(false));
        assertEquals("av1", Container.MP4.defaultCodec(true));
        assertEquals("vp9", Container.WEBM.defaultCodec(false));
    }
}
