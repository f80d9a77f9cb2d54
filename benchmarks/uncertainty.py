"""Benchmark: Monte Carlo uncertainty analysis, vectorised beside the straightforward loop.

    .venv/bin/python benchmarks/uncertainty.py [--replications 10000] [--economies 200]
        [--loop-replications 200] [--framework idi-2023] [--seed 0] [--repeat 3]

The data are the SYNTHETIC sample generator's (``actionplan.stats.sample.generate``) for
``--economies`` economies (the 193 ITU Member States, then other registry countries),
year 2024. Every factor varies (weights, normalisation, aggregation, imputation, one
indicator excluded). Timed: :func:`analyse` (vectorised, best of ``--repeat``) for
``--replications``; :func:`analyse_loop` (one modified framework and one ``compute`` per
replication) for ``--loop-replications`` only, extrapolated linearly to
``--replications`` (said so in the output). Both are then run on the loop's replications
to check that they give identical ranks.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from actionplan.registry import countries, itu_member_states
from actionplan.stats.data import Dataset
from actionplan.stats.engine import compile_framework, matrix_from_dataset
from actionplan.stats.framework import load_framework
from actionplan.stats.sample import generate
from actionplan.stats.uncertainty import analyse, analyse_loop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=10_000)
    parser.add_argument("--economies", type=int, default=200)
    parser.add_argument("--loop-replications", type=int, default=200)
    parser.add_argument("--framework", default="idi-2023")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    members = sorted(itu_member_states())
    others = [c.iso3 for c in countries() if c.iso3 not in set(members)]
    economies = (members + others)[: args.economies]
    framework = load_framework(args.framework)
    codes = list(compile_framework(framework).codes)
    dataset = Dataset(generate(seed=args.seed, economies=economies)).latest()
    matrix = matrix_from_dataset(dataset, codes, 2024)
    print(f"framework {framework.id}: {len(codes)} indicators, {len(matrix.economies)} economies, year 2024 "
          "(SYNTHETIC sample data)")

    best = float("inf")
    result = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = analyse(framework, matrix, n=args.replications, seed=args.seed)
        best = min(best, time.perf_counter() - started)
    assert result is not None

    small = args.loop_replications
    started = time.perf_counter()
    loop = analyse_loop(framework, matrix, n=small, seed=args.seed)
    loop_seconds = time.perf_counter() - started
    fast_small = analyse(framework, matrix, n=small, seed=args.seed)
    same = np.array_equal(loop.ranks, fast_small.ranks, equal_nan=True)
    per_loop = loop_seconds / small
    extrapolated = per_loop * args.replications

    print()
    print(f"{'method':<34}{'replications':>14}{'seconds':>12}{'per 1,000':>12}")
    print(f"{'vectorised analyse() (best of ' + str(args.repeat) + ')':<34}{args.replications:>14,}"
          f"{best:>12.2f}{best / args.replications * 1000:>12.3f}")
    print(f"{'plain loop analyse_loop()':<34}{small:>14,}{loop_seconds:>12.2f}{per_loop * 1000:>12.3f}")
    note = "extrapolated" if small < args.replications else "measured"
    print(f"{'plain loop, ' + note:<34}{args.replications:>14,}{extrapolated:>12.1f}{per_loop * 1000:>12.3f}")
    print()
    print(f"speed-up: {extrapolated / best:.0f}x; loop and vectorised ranks identical on {small} replications: {same}")
    shifts = result.mean_abs_shift[~np.isnan(result.mean_abs_shift)]
    widths = (result.p95_rank - result.p5_rank)[~np.isnan(result.p5_rank)]
    print(f"mean absolute rank shift over economies: {shifts.mean():.2f}; median 5-95 % rank interval width: "
          f"{np.median(widths):.0f} ranks")


if __name__ == "__main__":
    main()
