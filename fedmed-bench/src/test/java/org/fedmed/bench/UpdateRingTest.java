package org.fedmed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.junit.jupiter.api.Test;

class UpdateRingTest {

    /** A ring of three updates of two floats: update k holds {k + 1, 10 (k + 1)}, so each sums to 11 (k + 1). */
    private static UpdateRing ring() {
        ParameterLayout layout = ParameterLayout.of(List.of("w"), List.of(new int[] {2}));
        FitResult[] updates = new FitResult[3];
        for (int k = 0; k < 3; k++) {
            updates[k] = new FitResult("site-" + k, "r1-fit-site-" + k,
                    ModelParameters.ofFlat(layout, new float[] {k + 1, 10 * (k + 1)}), false, 100, 1.0, Map.of());
        }
        return new UpdateRing(ModelParameters.ofFlat(layout, new float[2]), updates);
    }

    @Test
    void readingTheNextUpdatesSumsThemAroundTheCycleOneOrFourAtATime() {
        // five updates from the start of a ring of three: updates 0, 1, 2, 0, 1 = 11 + 22 + 33 + 11 + 22
        assertEquals(99f, ring().readNext(5));
        assertEquals(99f, ring().readNext4(5));
        UpdateRing ring = ring();
        assertEquals(11f, ring.readNext4(1));
        assertEquals(22f + 33f + 11f + 22f, ring.readNext4(4), "four side by side, where the first read left off");
        assertEquals(2, ring.nextIndex(), "the cycle advanced by one index per update read");
    }
}
