package org.fedmed.data.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.TestData;
import org.fedmed.data.definition.DefinitionReader;
import org.fedmed.data.registry.DatasetRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetValidatorTest {

    private static final String DEF = """
            name: tiny
            columns:
              - {name: note, role: drop}
              - {name: age, type: numeric}
              - {name: grade, type: categorical, levels: ["1", "2", "3"]}
              - {name: empty, type: numeric, missing: [n/a]}
            label: {column: y, kind: binary, positive_above: 0}
            sites: [{id: a, file: a.csv}, {id: b, file: b.csv}]
            """;

    /** Site a: 11 rows, ages 10..19 and one 500, grades 1 x4, 2 x4, three empty; y 0 x6, 1 x5; column empty all empty. */
    private static Path tiny(Path dir) {
        TestData.write(dir, "a.csv", "note,age,grade,empty,y",
                "x,10,1,,0", "x,11,1,n/a,0", "x,12,1,,0", "x,13,1,,0", "x,14,2,,0", "x,15,2,,0",
                "x,16,2,,1", "x,17,2,,1", "x,18,,,1", "x,19,,,1", "x,500,,,1");
        TestData.write(dir, "b.csv", "note,age,grade,empty,y",
                "x,30,3,,0", "x,31,3,,1", "x,32,3,,0", "x,33,3,,1", "x,,3,,0", "x,35,3,,1");
        return TestData.write(dir, "tiny.yaml", DEF.strip().split("\n"));
    }

    private static DatasetProfile validate(Path def) {
        DatasetRegistry registry = new DatasetRegistry(List.of());
        return DatasetValidator.validate(registry.resolve(DefinitionReader.read(def)));
    }

    @Test
    void profileCountsMatchTheRowsCountedByHand(@TempDir Path dir) {
        DatasetProfile p = validate(tiny(dir));
        SiteProfile a = p.site("a");
        assertEquals(11, a.rows());
        assertArrayEquals(new long[] {6, 5}, a.classCounts());
        assertEquals(0, a.column("age").missing());
        assertEquals(10.0, a.column("age").min());
        assertEquals(500.0, a.column("age").max());
        assertEquals(1, a.column("age").extreme(), "500 lies beyond Q3 + 3 IQR (17 + 3 x 5)");
        assertEquals(3, a.column("grade").missing());
        assertArrayEquals(new long[] {4, 4, 0}, a.column("grade").levelCounts());
        assertTrue(a.column("empty").empty());
        assertEquals(11, a.column("empty").missing(), "empty cells and the marker n/a");
        SiteProfile b = p.site("b");
        assertEquals(6, b.rows());
        assertEquals(1, b.column("age").missing());
        assertEquals(0, b.column("age").extreme());
        assertEquals(17, p.rows());
    }

    @Test
    void countsFromOneToKMinusOneArePrintedSuppressedAndSoIsAnyTheTotalWouldGiveBack(@TempDir Path dir) {
        String five = validate(tiny(dir)).render(5);
        assertTrue(five.contains("site a: 11 rows from a.csv\n"), five);
        assertTrue(five.contains("  class balance: y <= 0: 6, y > 0: 5\n"), five);
        assertTrue(five.contains("levels 1: <5, 2: <5, 3: 0\n"), "a count of k-1 = 4 is suppressed, 0 is not:\n" + five);
        assertTrue(five.lines().anyMatch(l -> l.matches("  age +numeric +0 +10 +500 +<5")), five);
        assertTrue(five.contains("  entirely empty columns: empty\n"), five);
        assertTrue(five.contains("counts from 1 to 4 are shown as <5; a count its line's total would give back is shown"
                + " as *"), five);
        String six = validate(tiny(dir)).render(6);
        assertTrue(six.contains("  class balance: y <= 0: *, y > 0: <6\n"), "11 rows minus 6 would give back the"
                + " suppressed 5, so the 6 is hidden too:\n" + six);
        String three = validate(tiny(dir)).render(3);
        assertTrue(three.contains("levels 1: 4, 2: 4, 3: 0\n"), three);
        assertTrue(three.lines().anyMatch(l -> l.matches("  grade +categorical +3 +levels .*")), three);
    }

    @Test
    void aFileThatDoesNotFitStopsValidationNamingFileLineAndColumn(@TempDir Path dir) {
        Path def = tiny(dir);
        TestData.write(dir, "b.csv", "note,age,grade,empty,y", "x,30,3,,0", "x,31,4,,1");
        DataFormatException e = assertThrows(DataFormatException.class, () -> validate(def));
        assertEquals("b.csv line 3, column 'grade': value '4' is not one of the declared levels [1, 2, 3]", e.getMessage());
    }

    @Test
    void aFractionSplitThatHoldsOutNoRowOfASiteIsRefused(@TempDir Path dir) {
        tiny(dir);
        TestData.write(dir, "b.csv", "note,age,grade,empty,y", "x,30,3,,0", "x,31,3,,1");
        Path def = TestData.write(dir, "f.yaml", (DEF + "split: {test_fraction: 0.2}\n").strip().split("\n"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> validate(def));
        assertTrue(e.getMessage().startsWith(def + ": key 'split.test_fraction' (line 9, column 24): the split leaves site"
                + " 'b' with no test rows"), e.getMessage());
    }

    @Test
    void aSurvivalLabelIsValidatedAndProfiledWithItsEventsAndTimes(@TempDir Path dir) {
        TestData.write(dir, "s.csv", "x,days,died", "1,10,yes", "2,20,no", "3,35,yes", "4,5,no", "5,8,no", "6,12,no");
        Path def = TestData.write(dir, "surv.yaml", "name: surv", "columns: [{name: x, type: numeric}]",
                "label: {kind: survival, time: days, event: died, event_values: [yes], censored_values: [no]}",
                "sites: [{id: a, file: s.csv}]", "split: {test_fraction: 0.5}");
        DatasetProfile p = validate(def);
        assertEquals(2, p.site("a").events());
        assertEquals(4, p.site("a").censored());
        assertEquals(5.0, p.site("a").labelMin());
        assertEquals(35.0, p.site("a").labelMax());
        assertTrue(p.render(2).contains("  events: 2, censored: 4, time 5 to 35\n"), p.render(2));
        TestData.write(dir, "s.csv", "x,days,died", "1,10,yes", "2,20,maybe");
        DataFormatException e = assertThrows(DataFormatException.class, () -> validate(def));
        assertEquals("s.csv line 3, column 'died': value 'maybe' is neither an event value [yes] nor a censored value [no]",
                e.getMessage());
    }

    @Test
    void histogramQuantilesLieWithinOnePercent() {
        LogHistogram h = new LogHistogram();
        for (int i = 1; i <= 10_000; i++) {
            h.add(i);
            h.add(-i);
        }
        h.add(0);
        assertEquals(0.0, h.quantile(0.5));
        assertEquals(5000.0, h.quantile(0.75), 50.0);
        assertEquals(-5000.0, h.quantile(0.25), 50.0);
        assertEquals(10_000.0, h.quantile(1.0), 100.0);
        assertEquals(20_001, h.count());
    }
}
