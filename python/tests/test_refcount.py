"""No leak across many reads: references are dropped and RSS stays flat."""

import gc
import sys

import perfleak
from conftest import SAMPLE_LOGS, TEST_DATA


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def test_rss_stays_flat_over_1000_reads():
    path = SAMPLE_LOGS / "web01_mixed.csv"

    def loop(n):
        for _ in range(n):
            frame = perfleak.read(path)
            log = perfleak.read_log(path)
            assert frame.shape[1] == log.num_counters
            _ = [log.column(i).sum() for i in range(log.num_counters)]
        gc.collect()

    loop(100)  # allocator and pandas caches warm up
    before = rss_bytes()
    loop(1000)
    growth = rss_bytes() - before
    # A read of this log holds ~0.12 MiB (columns and paths); 1,000 leaked reads add ~120 MiB.
    assert growth < 8 << 20, f"RSS grew {growth / 2**20:.1f} MiB over 1,000 reads"


def test_arrays_release_their_reference_to_the_log():
    log = perfleak.read_log(TEST_DATA / "csv" / "ok_basic.csv")
    base = sys.getrefcount(log)
    columns = [log.column(i) for i in range(log.num_counters)] + [log.time_utc, log.time_local]
    assert sys.getrefcount(log) == base + len(columns)
    del columns
    gc.collect()
    assert sys.getrefcount(log) == base


def test_failed_reads_do_not_leak(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b'"(PDH-CSV 4.0)","\\\\M\\Memory\\Available MBytes"\r\n"x",\r\n' * 200)
    for _ in range(50):
        try:
            perfleak.read(bad)
        except perfleak.LogError:
            pass
    gc.collect()
    before = rss_bytes()
    for _ in range(1000):
        try:
            perfleak.read(bad)
        except perfleak.LogError:
            pass
    gc.collect()
    assert rss_bytes() - before < 4 << 20
