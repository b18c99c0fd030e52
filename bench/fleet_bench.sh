#!/usr/bin/env bash
# Fleet scale: one `perfleak analyze --jobs 2` over a folder of generated logs (one machine
# each) against the same run as 2 shards side by side + `perfleak merge`, and against
# perfleak.fleet.analyze on a Dask LocalCluster of 2 worker processes; same machine, same
# minutes, page cache warm. Checks that the three JSON reports are equal (bar generated_utc).
# Usage: bench/fleet_bench.sh [logs=5000] [runs=3]
# BUILD=build/ci picks another build tree than build/release (perfleak, perfleak_gen_wide_log,
# and for the Dask case the Python module: PERFLEAK_PYTHON=ON); FLEET_BENCH_DATA another folder
# for the generated logs.
set -euo pipefail
cd "$(dirname "$0")/.."
LOGS=${1:-5000}
RUNS=${2:-3}
BUILD=${BUILD:-build/release}
PERFLEAK=$BUILD/src/cli/perfleak
GEN=$BUILD/bench/perfleak_gen_wide_log
DATA=${FLEET_BENCH_DATA:-build/bench-data/folder_$LOGS}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if [[ ! -x $PERFLEAK || ! -x $GEN ]]; then
  echo "fleet_bench: build $BUILD first (cmake --preset release && cmake --build build/release)" >&2
  exit 2
fi
[[ -d $DATA ]] || "$GEN" --folder "$DATA" "$LOGS" >/dev/null
find "$DATA" -type f -exec cat {} + >/dev/null  # into the page cache
echo "$LOGS logs, $(du -sb "$DATA" | awk '{printf "%.0f MB", $1/1e6}'); $(nproc) cores;" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# best LABEL CMD...: the minimum wall time of RUNS runs, with that run's peak RSS.
best() {
  local label=$1 t=$OUT/time
  shift
  local min="" rss=""
  for ((i = 0; i < RUNS; ++i)); do
    /usr/bin/time -o "$t" -f '%e %M' "$@" >/dev/null 2>&1 || true
    read -r wall kb <"$t"
    if [[ -z $min ]] || awk -v a="$wall" -v b="$min" 'BEGIN { exit !(a < b) }'; then
      min=$wall rss=$kb
    fi
  done
  printf '%-46s %7.2f s  %6.0f MiB peak\n' "$label" "$min" "$((rss / 1024))"
  BEST=$min
}
shards() {
  "$1" analyze "$2" --quiet --jobs 1 --shard 1/2 -o "$3/part1.json" &
  "$1" analyze "$2" --quiet --jobs 1 --shard 2/2 -o "$3/part2.json"
  wait
}
export -f shards

best "analyze --jobs 2 (one process)" \
  "$PERFLEAK" analyze "$DATA" --quiet --jobs 2 --format json -o "$OUT/single.json"
SINGLE=$BEST
best "2 shards side by side (--jobs 1 each)" bash -c 'shards "$0" "$1" "$2"' "$PERFLEAK" "$DATA" "$OUT"
SHARDS=$BEST
best "merge of the 2 parts" "$PERFLEAK" merge "$OUT/part1.json" "$OUT/part2.json" --format json \
  -o "$OUT/merged.json"
MERGE=$BEST
awk -v s="$SINGLE" -v a="$SHARDS" -v m="$MERGE" -v n="$LOGS" 'BEGIN {
  printf "  -> shards + merge: %.2f s = %.2fx the single run; merge %.2f s per 1,000 logs\n",
    a + m, (a + m) / s, m * 1000 / n }'
echo "  parts: $(du -cb "$OUT"/part*.json | tail -1 | awk '{printf "%.0f MB", $1/1e6}')"

strip() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("generated_utc",0); print(json.dumps(d, sort_keys=True))' "$1"; }
cmp -s <(strip "$OUT/single.json") <(strip "$OUT/merged.json") && echo "  merged JSON = single run's" \
  || { echo "  merged JSON DIFFERS from the single run's" >&2; exit 1; }

if PYTHONPATH=$BUILD/python /usr/bin/python3 -c 'import perfleak, distributed' 2>/dev/null; then
  # Not named dask.py: the script's folder comes first on sys.path and would shadow dask.
  cat >"$OUT/fleet_dask.py" <<'PY'
import sys, time
import distributed, perfleak

if __name__ == "__main__":  # the workers are spawned: they import this file again
    folder, out = sys.argv[1], sys.argv[2]
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    with distributed.Client(cluster) as client:
        start = time.perf_counter()
        report = perfleak.fleet.analyze([folder], client=client, shards=2, jobs=1)
        print(f"{time.perf_counter() - start:.2f}")
        open(out, "w").write(report.to_json())
    cluster.close()
PY
  walls=()
  for ((i = 0; i < RUNS; ++i)); do
    walls+=("$(PYTHONPATH=$BUILD/python /usr/bin/python3 "$OUT/fleet_dask.py" "$DATA" "$OUT/dask.json" 2>/dev/null)")
  done
  DASK=$(printf '%s\n' "${walls[@]}" | sort -n | head -1)
  printf '%-46s %7.2f s  (cluster start excluded)\n' "perfleak.fleet.analyze, LocalCluster 2 workers" "$DASK"
  awk -v s="$SINGLE" -v d="$DASK" 'BEGIN { printf "  -> Dask: %.2fx the single run\n", d / s }'
  cmp -s <(strip "$OUT/single.json") <(strip "$OUT/dask.json") && echo "  Dask JSON = single run's" \
    || { echo "  Dask JSON DIFFERS from the single run's" >&2; exit 1; }
else
  echo "(Dask case skipped: no Python module in $BUILD/python or no python3-distributed)"
fi
