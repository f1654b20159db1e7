#!/usr/bin/env python3
"""Flower-style FedAvg aggregation in numpy, timed against a numpy read baseline in the same process.

`aggregate` below has the shape of Flower's `flwr.server.strategy.aggregate.aggregate` (weighted copies of every
update, `functools.reduce(np.add, ...)`, divided by the total example count); it is written here so that flwr
need not be installed. Like Flower's, it checks no value for NaN or infinity. The read baseline is `x.sum()` over
every update (numpy's SIMD float32 reduction), the same bytes the aggregation reads.

Usage: python3 flower_aggregate.py P N [N ...]   (for example: 1000000 10 100)
Prints one Markdown row per N: best and mean ms of `repeats` rounds, GB/s of update bytes, and aggregate / read.
The updates are distinct arrays (N * P * 4 bytes in all, plus as much again for the weighted copies), so a round
streams them from memory as the Java benchmark's ring does.
"""
import sys
import time
from functools import reduce

import numpy as np


def aggregate(results):
    """Weighted average of the updates: results is a list of (list of layers, num_examples)."""
    num_examples_total = sum(num_examples for (_, num_examples) in results)
    weighted_weights = [[layer * num_examples for layer in weights] for weights, num_examples in results]
    return [reduce(np.add, layer_updates) / num_examples_total for layer_updates in zip(*weighted_weights)]


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), sum(times) / len(times)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    p = int(argv[1])
    ns = [int(a) for a in argv[2:]]
    rng = np.random.default_rng(42)
    print(f"numpy {np.__version__}, P = {p}")
    print("| N | P | flower aggregate ms best [mean] | aggregate GB/s | numpy read GB/s | aggregate / numpy read |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in ns:
        updates = [rng.uniform(-1, 1, p).astype(np.float32) for _ in range(n)]
        results = [([x], 100 + 7 * k) for k, x in enumerate(updates)]
        repeats = 5 if n * p <= 10**8 else 3
        aggregate(results)  # warm-up
        best, mean = timed(lambda: aggregate(results), repeats)
        read_best, _ = timed(lambda: sum(float(x.sum()) for x in updates), repeats)
        gb = 4.0 * n * p / 1e9
        print(f"| {n} | {p:.0e} | {best * 1e3:.1f} [{mean * 1e3:.1f}] | {gb / best:.1f} | {gb / read_best:.1f} "
              f"| {100 * read_best / best:.0f}% |")
        del updates, results


if __name__ == "__main__":
    main(sys.argv)
