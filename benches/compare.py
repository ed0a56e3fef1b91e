#!/usr/bin/env python3
"""Side-by-side comparison of peermatch's assignment solvers with the dense solvers a
user could pick instead (lap, lapx, laprust, scipy, OR-tools) and OR-tools' min-cost flow.

    python3 benches/compare.py [--reps 5] [--sizes 1000,2000,4000]
                               [--families uniform,lowrange,geometric,offsets,machol_wien,random_machol_wien]
                               [--rect 1000x4000,4000x1000] [--sparse 20000,100000]
                               [--scarce 20000,100000] [--cohort 30000x4000,100000x10000]
                               [--skip SOLVER,...]

Installs the solvers with pip into virtual environments of its own under target/:
compare-venv (numpy, scipy, lap, ortools), compare-venv-lapx (lapx, which installs a
module that is also called `lap`) and compare-venv-laprust (laprust). Writes seeded
instance files (target/compare/: text for peermatch, .npy for the Python solvers),
builds the peermatch example `solve_instance` in release mode, then for every
instance runs every solver on the same instance, interleaved (peermatch, then each
peer, then again), `--reps` times, each run in a fresh process. Only the solve is
timed, warm: peermatch solves twice per run and reports the second solve's time
(file parsing excluded; its own certificate check included, since every solve runs
it); each Python solver (benches/peer.py) solves once untimed, then is timed around
the call alone, with its input already converted. Prints, per instance, the median
time of each solver, the median and range of the per-repetition ratio peermatch /
other, and whether each objective agrees with peermatch's (recomputed exactly from
the returned assignment). Not part of CI: it needs many minutes and a quiet machine.

Instance families (dense, n × n, integer costs):
  uniform    costs uniform in [0, 1000)
  lowrange   costs uniform in [0, 10): many ties
  geometric  rounded Euclidean distances between random points in a 1000 × 1000 square
  offsets    strong row and column offsets: a_i + b_j + noise, a, b in [0, 10^5), noise in [0, 100)
  machol_wien  c_ij = i × j, the Machol–Wien family, a classic worst case for
             shortest-augmenting-path solvers
  random_machol_wien  c_ij uniform on the integers 1..i × j (i, j from 1): the
             randomised Machol–Wien family
Rectangular (`--rect RxC`): costs uniform in [0, 1000), R × C.
Sparse capacitated (min-cost maximum flow): R rows, K = 10 random candidate columns
each, capacities 1–5 with total ≈ 1.25 R, costs in [0, 1000).
Sparse scarce (`--scarce`): the same with K = 24 and total capacity ≈ 0.25 R, so that
places run out, as in a peer-support programme (about one open place per four people).
Cohort networks (`--cohort RxM,...`): the candidate network of a seeded synthetic cohort,
each recipient's best 24 mentors at cost 10^6 − score, written by the example
`cohort_instance`: the structure the matcher solves (preferences correlate, places run
out), without urgency tiers and load penalties.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "target"
VENV = TARGET / "compare-venv"
DATA = TARGET / "compare"
PACKAGES = ["numpy", "scipy", "lap", "ortools"]
# The dense peers, each with the virtual environment it runs in and what it installs.
PEERS = {
    "lap": ("compare-venv", PACKAGES),
    "lapx": ("compare-venv-lapx", ["numpy", "lapx"]),
    "lapx64": ("compare-venv-lapx", ["numpy", "lapx"]),
    "laprust": ("compare-venv-laprust", ["numpy", "laprust"]),
    "scipy": ("compare-venv", PACKAGES),
    "ortools": ("compare-venv", PACKAGES),
}
PEER = ROOT / "benches" / "peer.py"


def venv_python(name, packages):
    """The Python of target/NAME, created with `packages` installed if it is not there."""
    venv = TARGET / name
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return python


def ensure_venv():
    """Re-runs this script inside its own virtual environment with the solvers installed."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = venv_python("compare-venv", PACKAGES)
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


def dense_instance(family, n, rng):
    import numpy as np

    if family == "uniform":
        return rng.integers(0, 1000, size=(n, n), dtype=np.int64)
    if family == "lowrange":
        return rng.integers(0, 10, size=(n, n), dtype=np.int64)
    if family == "geometric":
        a = rng.uniform(0, 1000, size=(n, 2))
        b = rng.uniform(0, 1000, size=(n, 2))
        d = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2))
        return np.rint(d).astype(np.int64)
    if family == "offsets":
        rows = rng.integers(0, 100_000, size=(n, 1), dtype=np.int64)
        cols = rng.integers(0, 100_000, size=(1, n), dtype=np.int64)
        return rows + cols + rng.integers(0, 100, size=(n, n), dtype=np.int64)
    if family == "machol_wien":
        i = np.arange(1, n + 1, dtype=np.int64)
        return np.outer(i, i)
    if family == "random_machol_wien":
        i = np.arange(1, n + 1, dtype=np.int64)
        return 1 + (rng.random(size=(n, n)) * np.outer(i, i)).astype(np.int64)
    raise ValueError(family)


def write_dense(path, m):
    import numpy as np

    n_rows, n_cols = m.shape
    with open(path, "w") as f:
        f.write(f"peermatch-instance 1 dense {n_rows} {n_cols}\n")
        np.savetxt(f, m, fmt="%d")


def sparse_instance(r, rng, supply=1.25, k=10):
    import numpy as np

    caps = rng.integers(1, 6, size=max(1, round(supply * r / 3)))
    cols = len(caps)
    arc_cols = np.stack([rng.choice(cols, size=k, replace=False) for _ in range(r)])
    arc_costs = rng.integers(0, 1000, size=(r, k), dtype=np.int64)
    return caps, arc_cols, arc_costs


def write_sparse(path, caps, arc_cols, arc_costs):
    r, k = arc_cols.shape
    with open(path, "w") as f:
        f.write(f"peermatch-instance 1 sparse {r} {len(caps)}\n")
        f.write(" ".join(map(str, caps)) + "\n")
        for i in range(r):
            pairs = " ".join(f"{c} {w}" for c, w in zip(arc_cols[i], arc_costs[i]))
            f.write(f"{k} {pairs}\n")


def run_peermatch(path):
    """One warm solve: the binary solves twice and the second time is reported, as the
    Python solvers are timed in a process that has already run them once."""
    exe = TARGET / "release" / "examples" / "solve_instance"
    out = subprocess.run(
        [str(exe), str(path), "--repeat", "2"], check=True, capture_output=True, text=True
    )
    line = json.loads(out.stdout.strip().splitlines()[-1])
    return line["solve_seconds"], int(line["objective"])


def dense_solvers(npy, skip):
    """Each dense peer as a fresh process in its own environment (benches/peer.py)."""
    solvers = {}
    for name, (venv, packages) in PEERS.items():
        if name in skip:
            continue
        python = venv_python(venv, packages)

        def run(python=python, name=name):
            out = subprocess.run(
                [str(python), str(PEER), name, str(npy)],
                check=True, capture_output=True, text=True,
            )
            line = json.loads(out.stdout.strip().splitlines()[-1])
            return line["seconds"], line["objective"]

        solvers[name] = run
    return solvers


def sparse_solvers(caps, arc_cols, arc_costs):
    import numpy as np

    r, k = arc_cols.shape
    return network_solvers(caps, np.repeat(np.arange(r), k), arc_cols.ravel(), arc_costs.ravel())


def read_sparse(path):
    """A sparse instance file (rows of any length) as capacities and flat arc arrays."""
    import numpy as np

    with open(path) as f:
        header = f.readline().split()
        r = int(header[3])
        caps = np.array(f.readline().split(), dtype=np.int64)
        rows, cols, costs = [], [], []
        for i in range(r):
            w = f.readline().split()
            k = int(w[0])
            rows.extend([i] * k)
            cols.extend(w[1 : 1 + 2 * k : 2])
            costs.extend(w[2 : 2 + 2 * k : 2])
    return (caps, np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64),
            np.array(costs, dtype=np.int64))


def network_solvers(caps, arc_rows, arc_cols, arc_costs):
    """OR-tools' max-flow-then-min-cost on rows (one unit each) → columns (capacities)."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    r = int(arc_rows.max()) + 1 if len(arc_rows) else 0
    cols = len(caps)
    source, sink = 0, r + cols + 1
    tails = np.concatenate([
        np.zeros(r, dtype=np.int64),
        arc_rows + 1,
        np.arange(r + 1, r + cols + 1),
    ])
    heads = np.concatenate([
        np.arange(1, r + 1),
        arc_cols + r + 1,
        np.full(cols, sink),
    ])
    capacities = np.concatenate([np.ones(r + len(arc_rows), dtype=np.int64), caps.astype(np.int64)])
    costs = np.concatenate([
        np.zeros(r, dtype=np.int64), arc_costs, np.zeros(cols, dtype=np.int64)
    ])

    def run_ortools():
        f = min_cost_flow.SimpleMinCostFlow()
        f.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
        f.set_node_supply(source, r)
        f.set_node_supply(sink, -r)
        t = time.perf_counter()
        status = f.solve_max_flow_with_min_cost()
        elapsed = time.perf_counter() - t
        if status != f.OPTIMAL:
            return elapsed, None
        return elapsed, int(f.optimal_cost())

    return {"ortools": run_ortools}


def summarize(name, times, objectives):
    """One line per instance: medians, ratios, and which peers got a wrong objective.
    A peer whose objective differs from peermatch's is marked WRONG (peermatch's is
    certified); a peer that cannot run the shape is left out. Returns whether
    peermatch's objective was the best one seen (no peer found a cheaper plan)."""
    pm = times["peermatch"]
    best = objectives["peermatch"]
    cells = [name]
    ratios = []
    for solver, ts in times.items():
        if not ts or None in ts:
            continue
        wrong = solver != "peermatch" and objectives.get(solver) != best
        mark = " WRONG" if wrong else ""
        cells.append(f"{solver} {statistics.median(ts) * 1e3:.1f} ms{mark}")
        if solver != "peermatch":
            rs = [a / b for a, b in zip(pm, ts)]
            ratios.append(
                f"pm/{solver} {statistics.median(rs):.2f} [{min(rs):.2f}–{max(rs):.2f}]"
            )
    cheaper = [s for s, o in objectives.items() if o is not None and o < best]
    status = "peermatch optimal" if not cheaper else f"PEERS CHEAPER THAN PEERMATCH: {cheaper}"
    print(" | ".join(cells + ratios + [status]), flush=True)
    return not cheaper


def measure(name, path, solvers, reps, warm_up=False):
    """`warm_up`: run each (in-process) solver once untimed first; the dense peers,
    fresh processes, warm up inside benches/peer.py."""
    times = {"peermatch": [], **{s: [] for s in solvers}}
    objectives = {}
    if warm_up:
        for run in solvers.values():
            run()
    for _ in range(reps):
        t, obj = run_peermatch(path)
        times["peermatch"].append(t)
        objectives["peermatch"] = obj
        for solver, run in solvers.items():
            t, obj = run()
            times[solver].append(t)
            if obj is not None or solver not in objectives:
                objectives[solver] = obj
    return summarize(name, times, objectives)


def main():
    ensure_venv()
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--sizes", default="1000,2000,4000")
    parser.add_argument("--families",
                        default="uniform,lowrange,geometric,offsets,machol_wien,random_machol_wien")
    parser.add_argument("--rect", default="1000x4000,4000x1000",
                        help="rectangular uniform instances, ROWSxCOLS")
    parser.add_argument("--sparse", default="20000,100000")
    parser.add_argument("--scarce", default="20000,100000",
                        help="sizes of the scarce sparse family (places for a quarter of the rows)")
    parser.add_argument("--cohort", default="30000x4000,100000x10000",
                        help="synthetic cohorts whose best-24 candidate networks are compared")
    parser.add_argument("--skip", default="", help="solvers to leave out, e.g. scipy")
    args = parser.parse_args()

    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--example", "solve_instance"],
        cwd=ROOT,
        check=True,
    )
    DATA.mkdir(parents=True, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    print(f"machine: {os.cpu_count()} cores; {args.reps} interleaved repetitions per instance")
    ok = True
    for family in filter(None, args.families.split(",")):
        for n in map(int, filter(None, args.sizes.split(","))):
            rng = np.random.default_rng(12345 + n)
            m = dense_instance(family, n, rng)
            path = DATA / f"dense-{family}-{n}.txt"
            write_dense(path, m)
            np.save(path.with_suffix(".npy"), m)
            solvers = dense_solvers(path.with_suffix(".npy"), skip)
            ok &= measure(f"dense {family} n={n}", path, solvers, args.reps)
    for shape in filter(None, args.rect.split(",")):
        rows, cols = map(int, shape.split("x"))
        rng = np.random.default_rng(4242 + rows + cols)
        m = rng.integers(0, 1000, size=(rows, cols), dtype=np.int64)
        path = DATA / f"rect-{rows}x{cols}.txt"
        write_dense(path, m)
        np.save(path.with_suffix(".npy"), m)
        solvers = dense_solvers(path.with_suffix(".npy"), skip)
        ok &= measure(f"dense rectangular {rows}x{cols}", path, solvers, args.reps)
    for r in map(int, filter(None, args.sparse.split(","))):
        rng = np.random.default_rng(777 + r)
        caps, arc_cols, arc_costs = sparse_instance(r, rng)
        path = DATA / f"sparse-{r}.txt"
        write_sparse(path, caps, arc_cols, arc_costs)
        ok &= measure(f"sparse capacitated R={r}", path, sparse_solvers(caps, arc_cols, arc_costs), args.reps, True)
    for r in map(int, filter(None, args.scarce.split(","))):
        rng = np.random.default_rng(999 + r)
        caps, arc_cols, arc_costs = sparse_instance(r, rng, supply=0.25, k=24)
        path = DATA / f"scarce-{r}.txt"
        write_sparse(path, caps, arc_cols, arc_costs)
        ok &= measure(f"sparse scarce R={r}", path, sparse_solvers(caps, arc_cols, arc_costs), args.reps, True)
    for size in filter(None, args.cohort.split(",")):
        path = DATA / f"cohort-{size}.txt"
        subprocess.run(
            ["cargo", "run", "--release", "--quiet", "--example", "cohort_instance", "--",
             size, "24", str(path)],
            cwd=ROOT,
            check=True,
        )
        solvers = network_solvers(*read_sparse(path))
        ok &= measure(f"cohort network {size} (best 24)", path, solvers, args.reps, True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
