package ai.fastvsr.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.job.S3Location;
import org.junit.jupiter.api.Test;

class SplitNamesTest {
    private final S3Location out = S3Location.parse("s3://renditions/films/f.x4.mkv");

    @Test
    void everythingOfASplitLiesUnderOnePrefixBesideTheOutput() {
        SplitNames n = new SplitNames("film-7", out);
        assertEquals("s3://renditions/films/f.x4.mkv.parts/film-7/", n.prefix().uri());
        assertEquals(
                "s3://renditions/films/f.x4.mkv.parts/film-7/manifest.json",
                n.manifest().uri());
        assertEquals(
                "s3://renditions/films/f.x4.mkv.parts/film-7/segments/s0003.mp4",
                n.segment(3).uri());
        assertEquals(
                "s3://renditions/films/f.x4.mkv.parts/film-7/renditions/s0012.mkv",
                n.rendition(12).uri());
        assertEquals(
                "s3://renditions/x.parts/p/renditions/s0000.mp4",
                new SplitNames("p", S3Location.parse("s3://renditions/x"))
                        .rendition(0)
                        .uri(),
                "no extension: MP4");
    }

    @Test
    void childIdsAreDerivedFromTheParentAndStayWithinTheContract() {
        assertEquals("film-7.s0000", new SplitNames("film-7", out).childId(0));
        assertEquals(new SplitNames("film-7", out).childId(41), new SplitNames("film-7", out).childId(41));
        String longA = "a".repeat(128);
        String longB = "a".repeat(127) + "b";
        String childA = new SplitNames(longA, out).childId(9999);
        String childB = new SplitNames(longB, out).childId(9999);
        assertTrue(childA.matches("[A-Za-z0-9._-]{1,128}"), childA);
        assertEquals(128, childA.length());
        assertTrue(childA.endsWith(".s9999"));
        assertNotEquals(childA, childB, "two long parents sharing their first characters");
    }
}
