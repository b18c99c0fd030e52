"""The GIL is released while reading and analysing: threads read logs at once."""

import concurrent.futures
import faulthandler
import os
import threading

import numpy as np

import perfleak
from conftest import SAMPLE_LOGS, corpus_logs, sample_logs, without_generated


def readable_logs():
    logs = []
    for path in corpus_logs() + sample_logs():
        try:
            perfleak.read_log(path)
            logs.append(path)
        except perfleak.LogError:
            pass
    return logs


def test_parallel_reads_equal_serial_reads():
    logs = readable_logs() * 3
    serial = [perfleak.read(p) for p in logs]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(perfleak.read, logs))
    for a, b in zip(serial, parallel):
        assert list(a.columns) == list(b.columns)
        np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
        assert (a.index == b.index).all()


def test_reader_blocked_in_io_lets_other_threads_run(tmp_path):
    # The reader thread blocks reading a FIFO until this thread writes into it: with the GIL
    # held while reading, this thread could never write and the process would hang (the
    # watchdog then kills it, failing the run).
    fifo = tmp_path / "log.csv"
    os.mkfifo(fifo)
    data = (SAMPLE_LOGS / "web01_mixed.csv").read_bytes()
    result = {}

    def reader():
        result["frame"] = perfleak.read(fifo)

    faulthandler.dump_traceback_later(60, exit=True)
    try:
        thread = threading.Thread(target=reader)
        thread.start()
        with open(fifo, "wb") as writer:
            writer.write(data)
        thread.join(30)
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert not thread.is_alive()
    expected = perfleak.read(SAMPLE_LOGS / "web01_mixed.csv")
    np.testing.assert_array_equal(result["frame"].to_numpy(), expected.to_numpy())


def test_parallel_analyses_equal_serial():
    logs = sample_logs()
    serial = [without_generated(perfleak.analyze(p).document) for p in logs]
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        parallel = [without_generated(r.document) for r in pool.map(perfleak.analyze, logs)]
    assert serial == parallel
