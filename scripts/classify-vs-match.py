#!/usr/bin/env python3
"""`bouncematch classify` against `bouncematch match` on the same replies, per backend (issue 6).

Runs, round after round, the four commands one after another — `match` on an empty file (startup and rule
compile), `match`, `classify --threads 1`, `classify --threads 2` — so that a slow spell of a shared machine
hits every command alike instead of one command's whole series (hyperfine runs each command's runs in a
row). Reports the fastest and the median wall time of each, and the ratios with the startup subtracted:
classify 1 thread / match (the target: at most 1.20) and classify 1 thread / 2 threads (at least 1.8).

Usage: scripts/classify-vs-match.py [--rounds N] [--bin PATH] RULES REPLIES BACKEND...
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time


def timed(args):
    """Wall seconds and user + system CPU seconds of one run (output discarded)."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(args)}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--bin", default=".build/release/bouncematch")
    parser.add_argument("rules")
    parser.add_argument("replies")
    parser.add_argument("backends", nargs="+")
    a = parser.parse_args()
    empty = tempfile.NamedTemporaryFile(suffix=".txt")
    print(f"{a.replies} with {a.rules}, {a.rounds} rounds; seconds: fastest (median)")
    for backend in a.backends:
        base = [a.bin]
        commands = {
            "startup": base + ["match", "--backend", backend, "--rules", a.rules, empty.name],
            "match": base + ["match", "--backend", backend, "--rules", a.rules, a.replies],
            "classify 1 t": base + ["classify", "--backend", backend, "--threads", "1", "--input-format", "lines",
                                    "--rules", a.rules, a.replies],
            "classify 2 t": base + ["classify", "--backend", backend, "--threads", "2", "--input-format", "lines",
                                    "--rules", a.rules, a.replies],
        }
        for args in commands.values():
            timed(args)  # warm the page cache and the binary
        runs = {name: [] for name in commands}
        for _ in range(a.rounds):
            for name, args in commands.items():
                runs[name].append(timed(args))
        fastest = {n: min(w for w, _ in r) for n, r in runs.items()}
        median = {n: statistics.median(w for w, _ in r) for n, r in runs.items()}
        cpu = {n: min(c for _, c in r) for n, r in runs.items()}
        print(f"{backend}: " + ", ".join(f"{n} {fastest[n]:.3f} ({median[n]:.3f})" for n in commands)
              + f"; CPU classify 1 t / match {cpu['classify 1 t'] / cpu['match']:.2f}")
        for label, t in (("fastest", fastest), ("median", median)):
            s = t["startup"]
            ratio = (t["classify 1 t"] - s) / (t["match"] - s)
            speedup = (t["classify 1 t"] - s) / (t["classify 2 t"] - s)
            print(f"  {label:8} classify 1 t / match {ratio:.2f}   2 threads {speedup:.2f}x")


if __name__ == "__main__":
    main()
