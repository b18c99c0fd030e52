#!/usr/bin/env bash
# Case bundles: MB/s of `perfleak analyze` on a zip of .blg files against the same files
# extracted to a folder (uncompressed MB / wall seconds, page cache warm).
# Usage: bench/bundle_bench.sh [total_mb=1000] [files=10]
# BUILD=build/ci picks another build tree than build/release (it needs perfleak and
# perfleak_gen_blg: configure with PERFLEAK_BENCH=ON, the default at top level).
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL_MB=${1:-1000}
FILES=${2:-10}
BUILD=${BUILD:-build/release}
PERFLEAK=$BUILD/src/cli/perfleak
GEN=$BUILD/bench/perfleak_gen_blg
DATA=build/bench-data/bundle_${TOTAL_MB}mb_${FILES}
if [[ ! -x $PERFLEAK || ! -x $GEN ]]; then
  echo "bundle_bench: build $BUILD first (cmake --preset release && cmake --build build/release)" >&2
  exit 2
fi
if [[ ! -f $DATA/case.zip ]]; then
  mkdir -p "$DATA/extracted/TSS/Perfmon"
  # perfleak_gen_blg writes about 1.87 MB per 100 samples at 120 instances.
  samples=$(( TOTAL_MB * 100 * 100 / 187 / FILES ))
  for i in $(seq 1 "$FILES"); do
    "$GEN" "$DATA/extracted/TSS/Perfmon/DataCollector$(printf %02d "$i").blg" "$samples" 120 >/dev/null
  done
  (cd "$DATA/extracted" && python3 -c '
import os, sys, zipfile
with zipfile.ZipFile("../case.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    for root, _, names in sorted(os.walk(".")):
        for n in sorted(names):
            z.write(os.path.join(root, n))
')
fi
MB=$(du -sb "$DATA/extracted" | awk '{printf "%.0f", $1 / 1e6}')
ZIP_MB=$(stat -c %s "$DATA/case.zip" | awk '{printf "%.0f", $1 / 1e6}')
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "data: $FILES .blg files, $MB MB; case.zip $ZIP_MB MB (deflate)"
cat "$DATA/case.zip" >/dev/null
find "$DATA/extracted" -type f -exec cat {} + >/dev/null
measure() {  # label, perfleak arguments...: best of 3 wall seconds, peak RSS of that run
  local label=$1 best="" rss=0
  shift
  for _ in 1 2 3; do
    /usr/bin/time -o "$DATA/time.txt" -f '%e %M' "$PERFLEAK" "$@" >/dev/null 2>&1 || true
    out=$(tail -1 "$DATA/time.txt")
    secs=${out% *}
    if [[ -z $best ]] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$secs rss=${out#* }
    fi
  done
  awk -v l="$label" -v s="$best" -v kb="$rss" -v mb="$MB" \
    'BEGIN { printf "%-34s %7.2f s  %6.0f MB/s  peak RSS %5.0f MiB\n", l, s, (s > 0 ? mb / s : 0), kb / 1024 }'
}
# analyze loads the counters it judges; info decodes every counter of every log. (The
# generator's counters are synthetic, so analyze judges nothing and exits 4: the time is
# discovery, reading and decoding.)
for input in "$DATA/extracted" "$DATA/case.zip"; do
  measure "analyze $(basename "$input")" analyze "$input" --format json -o /dev/null --quiet
  measure "info $(basename "$input")" info "$input"
done
