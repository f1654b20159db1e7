package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's CPU time per round: the CPU used between the first sample after the window opens and the last
 * sample before the last round ended, divided by the rounds that ended between those two samples.
 */
class ProcessCpuSamplerTest {

    @Test
    void cpuPerRoundCountsOnlyTheRoundsBetweenTheTwoSamplesAndNothingAfterTheLastRound() {
        List<ProcessCpuSampler.Sample> samples = new ArrayList<>();
        // two processes; samples every 100 us; process 0 uses 30 us of CPU per 100 us, process 1 uses 50
        // process 0's thread group "C2 CompilerThreN" gains a 10 ms tick every 100 us, "main" one every 200 us, and
        // "grpc" exists only from 1000 on (counted from zero then)
        for (long t = 0; t <= 2000; t += 100) {
            Map<String, Long> threads = new java.util.HashMap<>(Map.of("C2 CompilerThreN", t / 100, "main", t / 200));
            if (t >= 1000) {
                threads.put("grpc", (t - 1000) / 100);
            }
            samples.add(new ProcessCpuSampler.Sample(t, new long[]{t * 300, t * 500}, List.of(threads, Map.of())));
        }
        // after the last round (which ends at 1510) process 0 burns a lot; it must not be counted
        samples.add(new ProcessCpuSampler.Sample(2100, new long[]{99_000_000, 1_050_000},
                List.of(Map.of("main", 9_999L), Map.of())));
        List<Long> ends = new ArrayList<>();
        for (long e = 10; e <= 1510; e += 20) {
            ends.add(e); // a round every 20 us
        }
        // window from 405: first sample 500, last sample 1500; rounds ending in (500, 1500]: 510..1490 = 50 rounds
        ProcessCpuSampler.PerRound w = ProcessCpuSampler.perRound(samples, ends, 405, 50).orElseThrow();
        assertEquals(50, w.rounds());
        assertEquals(1000 / 1e3 / 50, w.wallMs(), 1e-12);
        assertArrayEquals(new double[]{1000 * 300 / 1e6 / 50, 1000 * 500 / 1e6 / 50}, w.cpuMs(), 1e-12);
        // 1500 - 500 us: C2 10 ticks, main 5, grpc 5 (from 0 at 1000): 10 ms each, over 50 rounds
        assertEquals(Map.of("C2 CompilerThreN", 2.0, "main", 1.0, "grpc", 1.0), w.threadMs().get(0));
        assertEquals(Map.of(), w.threadMs().get(1));
        assertTrue(ProcessCpuSampler.perRound(samples, ends, 405, 51).isEmpty(), "51 rounds asked, 50 there");
        assertTrue(ProcessCpuSampler.perRound(samples, ends, 2100, 1).isEmpty(), "no sample after the window opens");
    }
}
