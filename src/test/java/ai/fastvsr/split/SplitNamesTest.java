package ai.fastvsr.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.S3Location;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitNamesTest {
    private final S3Location out = S3Location.parse("s3://renditions/films/f.x4.mkv");
    private final AccessPolicy access = new AccessPolicy(List.of("*"), List.of("renditions/films/"));

    private SplitNames names(String parent, S3Location output) {
        return new SplitNames(parent, output, access.splitArea(output));
    }

    @Test
    void everythingOfASplitLiesUnderOnePrefixInTheSplitAreaOfTheOutputsBucket() {
        SplitNames n = names("film-7", out);
        assertEquals("s3://renditions/fastvsr-splits/film-7/", n.prefix().uri());
        assertEquals(
                "s3://renditions/fastvsr-splits/film-7/manifest.json",
                n.manifest().uri());
        assertEquals(
                "s3://renditions/fastvsr-splits/film-7/segments/s0003.mp4",
                n.segment(3).uri());
        assertEquals(
                "s3://renditions/fastvsr-splits/film-7/renditions/s0012.mkv",
                n.rendition(12).uri());
        assertEquals(
                "s3://renditions/fastvsr-splits/p/renditions/s0000.mp4",
                names("p", S3Location.parse("s3://renditions/x")).rendition(0).uri(),
                "no extension: MP4");
        AccessPolicy elsewhere = new AccessPolicy(List.of("*"), List.of("*"), "tmp/splits");
        assertEquals(
                "s3://renditions/tmp/splits/film-7/manifest.json",
                new SplitNames("film-7", out, elsewhere.splitArea(out))
                        .manifest()
                        .uri());
    }

    @Test
    void childrenMayUseTheSplitAreaOnlyInBucketsJobsMayWriteTo() throws Exception {
        access.checkSplitObject(S3Location.parse("s3://renditions/fastvsr-splits/film-7/segments/s0000.mp4"));
        // a split stored beside its output before the split area existed (a redelivered old child)
        access.checkSplitObject(S3Location.parse("s3://renditions/films/f.x4.mkv.parts/film-7/segments/s0000.mp4"));
        for (String denied : List.of(
                "s3://ingest/fastvsr-splits/film-7/segments/s0000.mp4",
                "s3://renditions/other/fastvsr-splits/x.mp4",
                "s3://renditions/fastvsr-splits/../films/f.x4.mkv")) {
            Failure e = assertThrows(Failure.class, () -> access.checkSplitObject(S3Location.parse(denied)), denied);
            assertTrue(e.code() == ErrorCode.ACCESS_DENIED || e.code() == ErrorCode.INVALID_JOB, e::toString);
        }
    }

    @Test
    void childIdsAreDerivedFromTheParentAndStayWithinTheContract() {
        assertEquals("film-7.s0000", names("film-7", out).childId(0));
        assertEquals(names("film-7", out).childId(41), names("film-7", out).childId(41));
        String longA = "a".repeat(128);
        String longB = "a".repeat(127) + "b";
        String childA = names(longA, out).childId(9999);
        String childB = names(longB, out).childId(9999);
        assertTrue(childA.matches("[A-Za-z0-9._-]{1,128}"), childA);
        assertEquals(128, childA.length());
        assertTrue(childA.endsWith(".s9999"));
        assertNotEquals(childA, childB, "two long parents sharing their first characters");
    }
}
