"""perfleak.read / read_log against the CLI's `convert` output, and the DataFrame's shape."""

import csv
import gc
import math
import struct

import numpy as np
import pandas as pd
import pytest

import perfleak
from conftest import corpus_logs, run_cli, SAMPLE_LOGS

MISSING = " "


def read_converted(path, tmp_path, *counters):
    """The CLI's `convert LOG -o OUT.csv` parsed with the csv module and float(): an
    independent reading of the values the C++ reader produced."""
    out = tmp_path / "converted.csv"
    args = ["convert", path, "-o", out, "--lf"]
    if counters:
        args += ["--counters", *counters]
    proc = run_cli(*args, check=False)
    if proc.returncode != 0:
        return None, proc
    with open(out, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows, proc


def bits(value):
    return struct.unpack("<q", struct.pack("<d", value))[0]


def assert_same_as_converted(log, rows):
    header, data = rows[0], rows[1:]
    assert log.paths == header[1:]
    assert log.num_samples == len(data)
    local = log.time_local
    for sample_idx, row in enumerate(data):
        stamp = pd.Timestamp(pd.to_datetime(row[0], format="%m/%d/%Y %H:%M:%S.%f"))
        ticks = stamp.value // 100
        assert abs(ticks - int(local[sample_idx])) <= 5_000, (sample_idx, row[0])  # 0.5 ms
    for counter_idx in range(log.num_counters):
        column = log.column(counter_idx)
        for sample_idx, row in enumerate(data):
            cell = row[counter_idx + 1]
            value = float(column[sample_idx])
            if cell == MISSING:
                assert math.isnan(value), (log.paths[counter_idx], sample_idx)
            else:
                assert bits(float(cell)) == bits(value), (log.paths[counter_idx], sample_idx)


@pytest.mark.parametrize("path", corpus_logs(), ids=lambda p: p.name)
def test_values_equal_cli_convert_bit_for_bit(path, tmp_path):
    rows, proc = read_converted(path, tmp_path)
    if rows is None:
        with pytest.raises(perfleak.LogError):
            perfleak.read_log(path)
        return
    log = perfleak.read_log(path)
    assert_same_as_converted(log, rows)
    cli_warnings = [line.split("warning: ", 1)[1] for line in proc.stderr.splitlines()
                    if "warning: " in line]
    assert log.warnings == cli_warnings


@pytest.mark.parametrize("path", corpus_logs(), ids=lambda p: p.name)
def test_frame_holds_the_log_values(path):
    try:
        log = perfleak.read_log(path)
    except perfleak.LogError:
        pytest.skip("log does not read")
    frame = perfleak.read(path)
    assert frame.shape == (log.num_samples, log.num_counters)
    assert list(frame.columns) == log.paths
    assert all(dtype == np.float64 for dtype in frame.dtypes)
    for counter_idx in range(log.num_counters):
        np.testing.assert_array_equal(frame.iloc[:, counter_idx].to_numpy(),
                                      log.column(counter_idx))


def test_counter_patterns_select_as_the_cli_does(corpus, tmp_path):
    path = next(p for p in corpus if p.name == "PAL__SampleLog.blg")
    pattern = r"\Process(*)\Private Bytes"
    rows, _ = read_converted(path, tmp_path, pattern)
    log = perfleak.read_log(path, [pattern])
    assert log.num_counters > 0
    assert all(p.endswith("\\Private Bytes") for p in log.paths)
    assert_same_as_converted(log, rows)
    assert list(perfleak.read(path, pattern).columns) == log.paths


def test_index_is_utc_and_local_times_are_kept(corpus):
    path = next(p for p in corpus if p.name == "PowerShell__CounterSamples.blg")
    log = perfleak.read_log(path)
    frame = perfleak.read(path)
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert str(frame.index.tz) == "UTC"
    assert frame.index.name == "time_utc"
    assert frame.index[0].value == int(log.time_utc[0]) * 100
    local = frame.attrs["time_local"]
    assert local.tz is None and len(local) == len(frame)
    offset = (frame.index.tz_localize(None) - local).unique()
    assert len(offset) >= 1  # a fixed zone, or two offsets across a DST change
    assert frame.attrs["format"] == "blg"
    assert frame.attrs["time_zone"]["name"] == log.time_zone["name"]


def test_multiindex_splits_the_counter_path():
    path = SAMPLE_LOGS / "web01_mixed.csv"
    frame = perfleak.read(path, multiindex=True)
    assert frame.columns.names == ["machine", "object", "instance", "counter"]
    log = perfleak.read_log(path)
    for (machine, obj, instance, counter), text in zip(frame.columns, log.paths):
        assert text.endswith("\\" + counter)
        assert obj in text and machine in text and instance in text
    assert "Private Bytes" in frame.columns.get_level_values("counter")


def test_columns_borrow_the_reader_buffers():
    log = perfleak.read_log(SAMPLE_LOGS / "web01_mixed.csv")
    frame = perfleak._frame.log_to_frame(log)
    for counter_idx in (0, log.num_counters - 1):
        assert np.shares_memory(frame.iloc[:, counter_idx].to_numpy(), log.column(counter_idx))
    column = log.column(0)
    assert not column.flags.owndata and isinstance(column.base, perfleak.Log)


def test_arrays_keep_the_log_alive():
    log = perfleak.read_log(SAMPLE_LOGS / "web01_mixed.csv")
    expected = np.array(log.column(1), copy=True)
    column = log.column(1)
    del log
    gc.collect()
    perfleak.read_log(SAMPLE_LOGS / "app05_incident.csv")  # reuse freed memory, if any
    np.testing.assert_array_equal(column, expected)


def test_read_log_exposes_parsed_paths_and_format():
    log = perfleak.read_log(SAMPLE_LOGS / "web01_mixed.csv")
    assert log.format == "pdh-csv"
    assert repr(log) == (f"<perfleak.Log pdh-csv '{log.source}': {log.num_samples} samples x "
                         f"{log.num_counters} counters>")
    assert len(log.path_parts) == log.num_counters == len(log.columns)
    assert log.time_utc.dtype == np.int64 and len(log.time_utc) == log.num_samples
    with pytest.raises(IndexError):
        log.column(log.num_counters)
