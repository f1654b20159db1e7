package org.fedmed.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The calibration binning rule against hand-computed small examples. */
class CalibrationBinTest {

    @Test
    void twentyFiveRowsMakeTwoEqualCountBinsOfSortedPredictions() {
        // predictions 25, 24, ..., 1 (reversed, so sorting matters); label = 10 x prediction, plus 1 on even rows
        float[] p = new float[25];
        float[] y = new float[25];
        for (int i = 0; i < 25; i++) {
            p[i] = 25 - i;
            y[i] = 10 * (25 - i) + (i % 2 == 0 ? 1 : 0);
        }
        // 25 rows: k = min(10, 25 / 10) = 2; cut at floor(25 / 2) = 12.
        // bin 1: predictions 1..12, mean 6.5; labels 10..120 (mean 65) plus 1 on rows 24, 22, ..., 14 (the even rows
        //        whose prediction is 1, 3, ..., 11: six of them), so mean observed 65 + 6 / 12 = 65.5.
        // bin 2: predictions 13..25, mean 19; labels 130..250 plus 1 on predictions 13, 15, ..., 25 (seven): 2477 / 13.
        assertEquals(List.of(new CalibrationBin(1, 12, 6.5, 65.5), new CalibrationBin(2, 13, 19.0, 2477.0 / 13)),
                CalibrationBin.of(p, y));
    }

    @Test
    void fewerThanTwentyRowsMakeOneBinAndEqualPredictionsKeepRowOrder() {
        float[] p = {2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38};
        float[] y = new float[19];
        java.util.Arrays.fill(y, 3);
        y[0] = 41;
        assertEquals(List.of(new CalibrationBin(1, 19, 20.0, 5.0)), CalibrationBin.of(p, y));
        // 20 equal predictions: two bins of 10, the first holding rows 0..9 in row order
        float[] same = new float[20];
        float[] rows = new float[20];
        for (int i = 0; i < 20; i++) {
            same[i] = 1.5f;
            rows[i] = i;
        }
        assertEquals(List.of(new CalibrationBin(1, 10, 1.5, 4.5), new CalibrationBin(2, 10, 1.5, 14.5)),
                CalibrationBin.of(same, rows));
    }

    @Test
    void aHundredAndFiveRowsMakeDecilesWithinOneRowOfEachOther() {
        float[] p = new float[105];
        for (int i = 0; i < 105; i++) {
            p[i] = i;
        }
        List<CalibrationBin> bins = CalibrationBin.of(p, p);
        // cuts at floor(i * 105 / 10) = 0, 10, 21, 31, 42, 52, 63, 73, 84, 94, 105
        assertEquals(List.of(10, 11, 10, 11, 10, 11, 10, 11, 10, 11), bins.stream().map(CalibrationBin::n).toList());
        assertEquals(new CalibrationBin(2, 11, 15.0, 15.0), bins.get(1));
        assertEquals(new CalibrationBin(10, 11, 99.0, 99.0), bins.get(9));
        assertEquals(List.of(), CalibrationBin.of(new float[0], new float[0]));
    }

    @Test
    void predictionsAndLabelsOfDifferentLengthsAreRejectedWithBothCounts() {
        var e = assertThrows(IllegalArgumentException.class, () -> CalibrationBin.of(new float[3], new float[4]));
        assertTrue(e.getMessage().contains("3 predictions for 4 labels"), e.getMessage());
    }
}
