#!/usr/bin/env python3
"""Samples /proc/PID of launched or attached processes into a relog-style PDH-CSV.

Python 3 standard library only. See tools/record/README.md for the Linux -> PDH counter
mapping and why Private Bytes is VmData.

  record_proc.py --spec programs.json --interval 2 --duration 2700 --out run.csv
  record_proc.py --attach 1234 --attach 5678 --interval 1 --duration 600 --out run.csv

With --spec the recorder launches each program, samples it, ends it at the close and also
writes run.labels.json (the generator's labels form) from the spec's expected/pattern/counter.
"""

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import time

PROCESS_COUNTERS = [
    "Private Bytes",
    "Virtual Bytes",
    "Working Set",
    "Handle Count",
    "Thread Count",
    "ID Process",
]
MEMORY_COUNTERS = ["Committed Bytes", "Commit Limit", "Available MBytes"]
HEADER_FIRST = "(PDH-CSV 4.0) (Coordinated Universal Time)(0)"


def read_status(pid):
    """The /proc/PID/status fields as a dict of strings, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            text = f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    # A zombie has no memory left: PDH drops an exited process from the next sample.
    if fields.get("State", "").startswith("Z") or "VmSize" not in fields:
        return None
    return fields


def kib(fields, key):
    value = fields.get(key, "0 kB").split()[0]
    return int(value) * 1024


def count_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None


def start_ticks(pid):
    """Field 22 of /proc/PID/stat: orders same-name instances by start, as PDH lists them."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # comm may hold spaces and parentheses: fields start after the last ')'.
    rest = stat[stat.rfind(")") + 2 :].split()
    return int(rest[19])


def sample_process(pid):
    fields = read_status(pid)
    if fields is None:
        return None
    fds = count_fds(pid)
    if fds is None:
        return None
    return {
        "name": fields.get("Name", str(pid)),
        "start": start_ticks(pid) or 0,
        "Private Bytes": kib(fields, "VmData"),
        "Virtual Bytes": kib(fields, "VmSize"),
        "Working Set": kib(fields, "VmRSS"),
        "Handle Count": fds,
        "Thread Count": int(fields.get("Threads", "0")),
        "ID Process": pid,
    }


def sample_memory():
    fields = {}
    with open("/proc/meminfo", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = int(value.split()[0]) * 1024
    return {
        "Committed Bytes": fields["Committed_AS"],
        "Commit Limit": fields["CommitLimit"],
        "Available MBytes": fields["MemAvailable"] // (1024 * 1024),
    }


def instance_names(samples):
    """PDH numbering: per name, live instances in start order are NAME, NAME#1, NAME#2..."""
    by_name = {}
    for pid, s in samples.items():
        by_name.setdefault(s["name"], []).append((s["start"], pid))
    names = {}
    for name, members in by_name.items():
        for index, (_, pid) in enumerate(sorted(members)):
            names[pid] = name if index == 0 else f"{name}#{index}"
    return names


class Recording:
    def __init__(self, host):
        self.host = host
        self.times = []
        self.rows = []  # per sample: {instance: sample dict}
        self.memory = []
        self.columns = []  # instance names in first-seen order
        self.first_instance = {}  # pid -> instance at its first sample

    def add(self, when, samples, memory):
        names = instance_names(samples)
        row = {}
        for pid, s in samples.items():
            instance = names[pid]
            row[instance] = s
            self.first_instance.setdefault(pid, instance)
            if instance not in self.columns:
                self.columns.append(instance)
        self.times.append(when)
        self.rows.append(row)
        self.memory.append(memory)

    def header(self):
        cells = [HEADER_FIRST]
        for instance in self.columns:
            for counter in PROCESS_COUNTERS:
                cells.append(f"\\\\{self.host}\\Process({instance})\\{counter}")
        for counter in MEMORY_COUNTERS:
            cells.append(f"\\\\{self.host}\\Memory\\{counter}")
        return cells

    def line(self, index):
        when = self.times[index]
        cells = [when.strftime("%m/%d/%Y %H:%M:%S.") + f"{when.microsecond // 1000:03d}"]
        row = self.rows[index]
        for instance in self.columns:
            s = row.get(instance)
            for counter in PROCESS_COUNTERS:
                cells.append(" " if s is None else str(s[counter]))
        memory = self.memory[index]
        cells.extend(str(memory[c]) for c in MEMORY_COUNTERS)
        return cells

    def write(self, path):
        def quoted(cells):
            return ",".join('"' + c + '"' for c in cells) + "\r\n"

        tmp = path + ".part"
        with open(tmp, "w", encoding="ascii", newline="") as f:
            f.write(quoted(self.header()))
            for i in range(len(self.rows)):
                f.write(quoted(self.line(i)))
        os.replace(tmp, path)


def launch(spec, spec_dir, bin_dir, log_dir):
    """Starts each program of the spec ({dir}: the spec's folder, {bin}: --bin); returns
    [(entry, Popen)]."""
    launched = []
    for entry in spec["programs"]:
        argv = [a.replace("{dir}", spec_dir).replace("{bin}", bin_dir) for a in entry["argv"]]
        log = open(os.path.join(log_dir, entry["id"] + ".log"), "w")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd="/tmp",
                                start_new_session=True)
        launched.append((entry, proc))
    return launched


def write_labels(path, csv_name, recording, launched):
    processes = []
    for entry, proc in launched:
        instance = recording.first_instance.get(proc.pid)
        if instance is None:
            print(f"record_proc: {entry['id']} (pid {proc.pid}) was never sampled", file=sys.stderr)
            continue
        processes.append({
            "process": instance.split("#")[0],
            "instance": instance,
            "pids": [proc.pid],
            "expected": entry["expected"],
            "pattern": entry["pattern"],
            "counter": entry.get("counter", "Private Bytes"),
        })
    labels = {"file": csv_name, "samples": len(recording.rows), "processes": processes}
    with open(path, "w", encoding="ascii") as f:
        json.dump(labels, f, indent=2)
        f.write("\n")


def stop_all(launched):
    for _, proc in launched:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.time() + 10
    for _, proc in launched:
        try:
            proc.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", help="JSON file: {\"programs\": [{id, argv, expected, pattern, counter}]}")
    parser.add_argument("--attach", type=int, action="append", default=[], help="PID to sample")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between samples")
    parser.add_argument("--duration", type=float, required=True, help="seconds to record")
    parser.add_argument("--out", required=True, help="CSV to write (rewritten every minute)")
    parser.add_argument("--host", default="RECORDER", help="machine name in counter paths")
    parser.add_argument("--bin", default="/tmp/perfleak_record/bin",
                        help="where build_programs.sh put the compiled programs ({bin} in argv)")
    parser.add_argument("--settle", type=float, default=0.0,
                        help="seconds between launching and the first sample")
    args = parser.parse_args()
    if args.interval <= 0 or args.duration <= 0:
        parser.error("--interval and --duration must be positive")

    launched = []
    if args.spec:
        with open(args.spec, encoding="utf-8") as f:
            spec = json.load(f)
        log_dir = os.path.splitext(args.out)[0] + ".logs"
        os.makedirs(log_dir, exist_ok=True)
        launched = launch(spec, os.path.dirname(os.path.abspath(args.spec)), args.bin, log_dir)
    pids = args.attach + [proc.pid for _, proc in launched]
    if not pids:
        parser.error("nothing to record: give --spec or --attach")

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))

    recording = Recording(args.host)
    if args.settle > 0:
        time.sleep(args.settle)
    t0 = time.monotonic()
    count = int(args.duration / args.interval) + 1
    rewrite_every = max(1, int(60 / args.interval))
    try:
        for k in range(count):
            # A fixed schedule: sampling time does not drift the interval.
            delay = t0 + k * args.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if stopping:
                break
            when = datetime.datetime.now(datetime.timezone.utc)
            samples = {}
            for pid in pids:
                s = sample_process(pid)
                if s is not None:
                    samples[pid] = s
            recording.add(when, samples, sample_memory())
            if k % rewrite_every == rewrite_every - 1:
                recording.write(args.out)
    finally:
        recording.write(args.out)
        if launched:
            write_labels(os.path.splitext(args.out)[0] + ".labels.json",
                         os.path.basename(args.out), recording, launched)
            stop_all(launched)
    return 0


if __name__ == "__main__":
    sys.exit(main())
