#!/usr/bin/env python3
"""Drops a recording's first SECONDS (the programs' start-up: loading their baseline) so the
log begins on running processes, as a perfmon log begins on running services; rewrites the
labels' `file`, `samples` and (from the first kept row) each label's `instance`.

  trim_start.py IN.csv OUT.csv --seconds 60     # reads IN.labels.json, writes OUT.labels.json
"""

import argparse
import csv
import datetime
import json
import os
import sys


def parse_time(cell):
    return datetime.datetime.strptime(cell, "%m/%d/%Y %H:%M:%S.%f")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--seconds", type=float, required=True)
    args = parser.parse_args()

    with open(args.input, encoding="ascii", newline="") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    if not data:
        sys.exit(f"{args.input}: no samples")
    t0 = parse_time(data[0][0])
    kept = [r for r in data if (parse_time(r[0]) - t0).total_seconds() >= args.seconds]
    if not kept:
        sys.exit(f"{args.input}: nothing is left after {args.seconds} s")

    with open(args.output, "w", encoding="ascii", newline="") as f:
        for r in [header] + kept:
            f.write(",".join('"' + c + '"' for c in r) + "\r\n")

    labels_in = os.path.splitext(args.input)[0] + ".labels.json"
    with open(labels_in, encoding="ascii") as f:
        labels = json.load(f)
    pid_columns = {i: c for i, c in enumerate(header) if c.endswith("\\ID Process")}
    for p in labels["processes"]:
        pid = str(p["pids"][0])
        for row in kept:
            hit = [c for i, c in pid_columns.items() if row[i].strip() == pid]
            if hit:
                p["instance"] = hit[0].split("\\Process(")[1].rsplit(")\\", 1)[0]
                break
        else:
            sys.exit(f"{labels_in}: pid {pid} is not alive after {args.seconds} s")
    labels["file"] = os.path.basename(args.output)
    labels["samples"] = len(kept)
    with open(os.path.splitext(args.output)[0] + ".labels.json", "w", encoding="ascii") as f:
        json.dump(labels, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
