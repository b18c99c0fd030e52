#!/usr/bin/env python3
"""perfleak.read() beside pandas.read_csv() on one log: wall time, MB/s and peak RSS.

    PYTHONPATH=build/release/python python3 python/bench/bench_read.py LOG [--no-pandas]

Each measurement runs in its own interpreter (imports done before the clock starts), so the
peak RSS of one does not hide the other's; peak RSS is the child's ru_maxrss, imports
included (numpy and pandas alone take about 60 MiB); CPU is the call's user + system time over
all its threads (a fairer figure than wall time on a loaded machine).
"""

import argparse
import os
import subprocess
import sys

CASES = {
    "perfleak.read -> DataFrame":
        "import perfleak, pandas, time; c = time.process_time(); t = time.perf_counter(); "
        "df = perfleak.read(PATH); dt = time.perf_counter() - t; "
        "print(dt, time.process_time() - c, df.shape[0], df.shape[1])",
    "perfleak.read_log (columns only)":
        "import perfleak, pandas, time; c = time.process_time(); t = time.perf_counter(); "
        "log = perfleak.read_log(PATH); dt = time.perf_counter() - t; "
        "print(dt, time.process_time() - c, log.num_samples, log.num_counters)",
    "pandas.read_csv":
        "import pandas, time; c = time.process_time(); t = time.perf_counter(); "
        "df = pandas.read_csv(PATH); dt = time.perf_counter() - t; "
        "print(dt, time.process_time() - c, df.shape[0], df.shape[1] - 1)",
}


def measure(code, path):
    # -W ignore: pandas warns of mixed column types in a relog CSV (one line naming every
    # column), which would bury the table.
    proc = subprocess.Popen([sys.executable, "-W", "ignore", "-c",
                             code.replace("PATH", repr(path))],
                            stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"benchmark child failed ({status}): {code}")
    seconds, cpu, rows, cols = out.split()
    return float(seconds), float(cpu), int(rows), int(cols), usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--no-pandas", action="store_true", help="skip pandas.read_csv")
    args = parser.parse_args()
    size_mb = os.path.getsize(args.log) / 1e6
    with open(args.log, "rb") as f:  # warm the page cache
        while f.read(1 << 24):
            pass
    print(f"log: {args.log} ({size_mb:.0f} MB)")
    for label, code in CASES.items():
        if args.no_pandas and label.startswith("pandas"):
            continue
        seconds, cpu, rows, cols, rss_mib = measure(code, args.log)
        print(f"{label:34} {seconds:7.2f} s  {size_mb / seconds:7.0f} MB/s  CPU {cpu:6.2f} s  "
              f"peak RSS {rss_mib:6.0f} MiB  ({rows} x {cols})")


if __name__ == "__main__":
    main()
