package org.fedmed.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.RegimeResult;

/**
 * A grid of strategies x datasets x partitions over several seeds, always with the local-only and centralized
 * baselines: for each dataset, partition and seed the sites are built once, the two baselines are trained once (they
 * do not depend on the strategy), and the federated regime is trained once per strategy, all on the same splits.
 * Every cell records the pooled test metrics; {@link Result#summary()} gives each metric's mean and sample standard
 * deviation over the seeds. A strategy runs at its own defaults: the base config's strategy-specific keys
 * ({@code server_lr}, {@code server_optimizer}, {@code prox_mu}) are dropped when the strategy changes.
 */
public final class StrategyBenchmark {

    /** The regime names the baselines are recorded under, beside each strategy's name. */
    public static final String LOCAL = "local";
    public static final String CENTRALIZED = "centralized";

    private final SimulationConfig base;
    private final DatasetRegistry registry;
    private final ExperimentProgress progress;

    public StrategyBenchmark(SimulationConfig base, DatasetRegistry registry, ExperimentProgress progress) {
        this.base = base;
        this.registry = registry;
        this.progress = progress == null ? ExperimentProgress.SILENT : progress;
    }

    /**
     * One run's pooled test metrics: a strategy's federated model, or a baseline ({@link #LOCAL}, {@link #CENTRALIZED});
     * {@code dataset} is the dataset's name (a definition file's {@code name}, not its path); {@code metrics} are the
     * objective's reported metrics ({@link org.fedmed.sim.report.ReportedMetrics}), in column order.
     */
    public record Cell(String dataset, String partition, String arm, long seed, Map<String, Double> pooled,
                       long wallMillis, List<String> metrics) {
        public Cell {
            metrics = List.copyOf(metrics);
        }
    }

    /** One row of the summary: a metric's mean and sample standard deviation over the seeds of a grid point. */
    public record Summary(String dataset, String partition, String arm, int seeds, Map<String, Double> mean,
                          Map<String, Double> sd) {
    }

    /** Every cell, in grid order, and the wall time of the whole grid. */
    public record Result(List<Cell> cells, long wallMillis, long peakHeapBytes) {

        /** Mean and standard deviation over seeds per dataset, partition and arm, in the order the arms first ran. */
        public List<Summary> summary() {
            Map<List<String>, List<Cell>> groups = new LinkedHashMap<>();
            for (Cell c : cells) {
                groups.computeIfAbsent(List.of(c.dataset(), c.partition(), c.arm()), k -> new ArrayList<>()).add(c);
            }
            List<Summary> out = new ArrayList<>();
            groups.forEach((key, group) -> {
                Map<String, Double> mean = new LinkedHashMap<>();
                Map<String, Double> sd = new LinkedHashMap<>();
                for (String metric : group.getFirst().pooled().keySet()) {
                    double[] v = group.stream().mapToDouble(c -> c.pooled().getOrDefault(metric, Double.NaN)).toArray();
                    double m = 0;
                    for (double x : v) {
                        m += x;
                    }
                    m /= v.length;
                    double ss = 0;
                    for (double x : v) {
                        ss += (x - m) * (x - m);
                    }
                    mean.put(metric, m);
                    sd.put(metric, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN);
                }
                out.add(new Summary(key.get(0), key.get(1), key.get(2), group.size(), mean, sd));
            });
            return out;
        }
    }

    /**
     * Runs the grid.
     *
     * @param partitions partitioner names for datasets without natural sites; a dataset with natural sites (such
     *                   as heart-disease's hospitals) runs once, under partition {@code natural}
     */
    public Result run(List<String> strategies, List<String> datasets, List<String> partitions, List<Long> seeds) {
        if (strategies.isEmpty() || datasets.isEmpty() || partitions.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("a benchmark needs at least one strategy, dataset, partition and seed");
        }
        long start = System.nanoTime();
        List<Cell> cells = new ArrayList<>();
        for (String dataset : datasets) {
            boolean natural = !(registry.definition(dataset).sites()
                    instanceof org.fedmed.data.definition.SiteLayout.Partitioned);
            for (String partition : natural ? partitions.subList(0, 1) : partitions) {
                for (long seed : seeds) {
                    SimulationConfig point = variant(dataset, partition, seed, base.strategy().name(),
                            List.of("local", "centralized"));
                    FederatedDataset data = SimulationData.load(point, registry);
                    String shown = natural ? "natural" : partition;
                    String name = data.name();
                    ComparisonReport baselines = new ComparisonExperiment(point, progress).run(data);
                    List<String> metrics = org.fedmed.sim.report.ReportedMetrics.of(baselines.objective());
                    cells.add(cell(name, shown, LOCAL, seed, baselines.regimes().get("local"), metrics));
                    cells.add(cell(name, shown, CENTRALIZED, seed, baselines.regimes().get("centralized"), metrics));
                    for (String strategy : strategies) {
                        SimulationConfig s = variant(dataset, partition, seed, strategy, List.of("federated"));
                        ComparisonReport fed = new ComparisonExperiment(s, progress).run(data);
                        cells.add(cell(name, shown, strategy, seed, fed.regimes().get("federated"), metrics));
                    }
                }
            }
        }
        long peak = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return new Result(cells, (System.nanoTime() - start) / 1_000_000, peak);
    }

    private static Cell cell(String dataset, String partition, String arm, long seed, RegimeResult r,
                             List<String> metrics) {
        return new Cell(dataset, partition, arm, seed, r.pooled(), r.wallMillis(), metrics);
    }

    @SuppressWarnings("unchecked")
    private SimulationConfig variant(String dataset, String partition, long seed, String strategy,
                                     List<String> regimes) {
        Map<String, Object> map = ConfigLoader.toMap(base);
        if (!strategy.equals(base.strategy().name())) {
            map.remove("server_lr");
            map.remove("server_optimizer");
            map.remove("prox_mu");
        }
        map.put("dataset", dataset);
        map.put("strategy", strategy);
        map.put("seed", seed);
        Map<String, Object> sim = new LinkedHashMap<>((Map<String, Object>) map.getOrDefault("simulation", Map.of()));
        sim.put("partition", partition);
        sim.put("regimes", regimes);
        map.put("simulation", sim);
        return ConfigLoader.parse("", "benchmark (" + dataset + ", " + partition + ", " + strategy + ", seed " + seed
                + ")", map);
    }
}
