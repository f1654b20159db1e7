package org.fedmed.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskIdTest {

    @Test
    void formatsAsRoundKindAndSite() {
        assertEquals("r3-fit-hospital-a", TaskId.fit(3, "hospital-a").toString());
        assertEquals("r0-eval-b", new TaskId(0, TaskId.Kind.EVAL, "b").toString());
    }

    @Test
    void parseReadsASiteThatContainsDashes() {
        assertEquals(new TaskId(12, TaskId.Kind.FIT, "site-with-dashes"), TaskId.parse("r12-fit-site-with-dashes"));
        assertEquals(new TaskId(0, TaskId.Kind.EVAL, "a"), TaskId.parse("r0-eval-a"));
    }

    @Test
    void parseIsTheInverseOfFormatForEveryTaskKind() {
        ModelParameters p = ModelParameters.of(List.of(new Tensor("w", new int[]{1}, new float[1])));
        Task fit = new FitTask(7, "x-1", p, new FitConfig(1, 8, 0.1, false, 0));
        Task eval = new EvalTask(7, "x-1", p);
        assertEquals("r7-fit-x-1", fit.taskId());
        assertEquals("r7-eval-x-1", eval.taskId());
        assertEquals(TaskId.of(fit), TaskId.parse(fit.taskId()));
        assertEquals(TaskId.of(eval), TaskId.parse(eval.taskId()));
    }

    @Test
    void stringsThatAreNotTaskIdsAreRefusedWithTheExpectedForm() {
        for (String bad : List.of("", "r1-fit-", "r-fit-a", "1-fit-a", "r1-train-a", "r01-fit-a", "rx-fit-a",
                "r1fit-a", "r99999999999-fit-a")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskId.parse(bad), bad);
            assertEquals("'" + bad + "' is not a task id (expected r<round>-fit-<site> or r<round>-eval-<site>)",
                    e.getMessage());
        }
        assertEquals("'null' is not a task id (expected r<round>-fit-<site> or r<round>-eval-<site>)",
                assertThrows(IllegalArgumentException.class, () -> TaskId.parse(null)).getMessage());
    }

    @Test
    void fieldsAreValidatedNamingTheBadOne() {
        assertEquals("task id round must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> TaskId.fit(-1, "a")).getMessage());
        assertEquals("task id site must not be blank, got ' '",
                assertThrows(IllegalArgumentException.class, () -> TaskId.fit(1, " ")).getMessage());
    }
}
