#!/usr/bin/env python3
"""Times one dense assignment solver on one instance, for benches/compare.py.

    python3 benches/peer.py SOLVER INSTANCE.npy

Runs inside the virtual environment that has SOLVER installed (compare.py picks it):
lap and lapx both install a module named `lap`, so each lives in an environment of its
own. Loads the int64 matrix, solves it once untimed (imports, caches, page faults),
then once timed around the solver call alone (input conversion and OR-tools' arc
loading before it, untimed), and prints one JSON line:
{"seconds": ..., "objective": ...}, the objective recomputed exactly in integers from
the returned assignment. Every solver minimises and assigns min(rows, cols) pairs.

Solvers:
  lap         lap.lapjv (gatagat/lap), float64; rectangular through extend_cost
  lapx        lapx's lap.lapjvs (its fastest dense kernel), with its defaults
              (float32 kernel where it judges it safe); rectangular padded
  lapx64      lapx's lap.lapjvs forced to float64 (prefer_float32=False)
  laprust     laprust.lapjv, float64; rectangular natively
  scipy       scipy.optimize.linear_sum_assignment on the int64 matrix
  ortools     OR-tools' SimpleLinearSumAssignment (square only)
"""

import json
import sys
import time

import numpy as np


def assignment_cost(m, rows, cols):
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    keep = (rows >= 0) & (cols >= 0) & (rows < m.shape[0]) & (cols < m.shape[1])
    rows, cols = rows[keep], cols[keep]
    if len(rows) != min(m.shape) or len(set(cols.tolist())) != len(cols):
        return None
    return int(m[rows, cols].sum())


def timed(call):
    """A runner timing `call` alone; `call` returns (row indices, column indices)."""

    def run():
        t = time.perf_counter()
        rows, cols = call()
        return time.perf_counter() - t, rows, cols

    return run


def solver(name, m):
    rect = m.shape[0] != m.shape[1]
    floats = m.astype(np.float64)
    if name == "lap":
        import lap

        return timed(lambda: (np.arange(m.shape[0]), lap.lapjv(floats, extend_cost=rect)[1]))
    if name in ("lapx", "lapx64"):
        import lap

        prefer32 = name == "lapx"
        return timed(lambda: lap.lapjvs(floats, prefer_float32=prefer32)[1:])
    if name == "laprust":
        import laprust

        return timed(lambda: laprust.lapjv(floats, extend_cost=rect)[1:])
    if name == "scipy":
        from scipy.optimize import linear_sum_assignment

        return timed(lambda: linear_sum_assignment(m))
    if name == "ortools":
        from ortools.graph.python import linear_sum_assignment

        if rect:
            return None
        n = m.shape[0]
        starts = np.repeat(np.arange(n), n)
        ends = np.tile(np.arange(n), n)
        costs = m.ravel()

        def run():
            a = linear_sum_assignment.SimpleLinearSumAssignment()
            a.add_arcs_with_cost(starts, ends, costs)
            t = time.perf_counter()
            status = a.solve()
            seconds = time.perf_counter() - t
            if status != a.OPTIMAL:
                return seconds, [], []
            return seconds, np.arange(n), np.array([a.right_mate(i) for i in range(n)])

        return run
    raise SystemExit(f"unknown solver {name}")


def main():
    name, path = sys.argv[1], sys.argv[2]
    m = np.load(path)
    run = solver(name, m)
    if run is None:
        print(json.dumps({"seconds": None, "objective": None}))
        return
    run()
    seconds, rows, cols = run()
    print(json.dumps({"seconds": seconds, "objective": assignment_cost(m, rows, cols)}))


if __name__ == "__main__":
    main()
