"""perfleak.fleet.analyze: shards over a dask.distributed cluster of worker processes, merged
into the report one perfleak.analyze over the same inputs gives."""

import json
import os
import shutil

import pytest

import perfleak
from conftest import SAMPLE_LOGS, TEST_DATA, corpus_logs, run_cli, without_generated

# Skipped without Dask, except under CI=true, where scripts/setup must have installed it.
if os.environ.get("CI") == "true":
    import distributed
else:
    distributed = pytest.importorskip("distributed", reason="Debian python3-distributed is absent")


@pytest.fixture(scope="module")
def client():
    """Two worker processes (not threads), one thread each, as fleet.analyze starts itself."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """Logs of several machines, a broken log and a file that is not a log."""
    root = tmp_path_factory.mktemp("fleet")
    for log in sorted(SAMPLE_LOGS.iterdir()):
        if log.suffix in {".csv", ".blg"}:
            shutil.copy(log, root / log.name)
    shutil.copytree(TEST_DATA / "issue_17", root / "issue_17")
    (root / "broken.csv").write_bytes(b'"(PDH-CSV 4.0)","\\\\M\\Memory\\Available MBytes"\n"x"\n')
    (root / "notes.txt").write_text("not a log\n")
    return root


def same(a, b):
    assert without_generated(a.document) == without_generated(b.document)


def test_merged_report_equals_the_single_run(client, fleet):
    single = perfleak.analyze([fleet])
    assert single.failed and any(log["status"] == "ok" for log in single.logs)
    for shards in (1, 2, 3):
        same(perfleak.fleet.analyze([fleet], client=client, shards=shards), single)


def test_options_reach_every_shard(client, fleet):
    options = {"sensitivity": "high", "all": True, "exclude": ["app03*"], "stitch": False}
    same(perfleak.fleet.analyze([fleet], client=client, **options),
         perfleak.analyze([fleet], **options))


@pytest.mark.skipif(not corpus_logs(), reason="no real corpus in ../shared")
def test_real_corpus(client):
    logs = corpus_logs()
    same(perfleak.fleet.analyze(logs, client=client, shards=4), perfleak.analyze(logs))


def _on_broken_log(action):
    """Installed in a worker: the shard whose part holds broken.csv runs `action` (raises, or
    ends the worker's process) instead of returning its part."""
    from perfleak import _native

    original = getattr(_native, "unpatched_analyze_part", _native.analyze_part)
    _native.unpatched_analyze_part = original

    def analyze_part(paths, index, count, options, failure=None):
        text = original(paths, index, count, options, failure)
        if failure is None and "broken.csv" in text:
            action()
        return text

    _native.analyze_part = analyze_part


def _lose_the_disk():
    raise RuntimeError("worker lost its disk")


def _die():
    os._exit(3)


def _restore():
    from perfleak import _native

    _native.analyze_part = _native.unpatched_analyze_part


def test_a_shard_that_raises_lists_its_logs_as_failed(client, fleet):
    single = perfleak.analyze([fleet])
    client.run(_on_broken_log, _lose_the_disk)
    try:
        merged = perfleak.fleet.analyze([fleet], client=client, shards=2)
    finally:
        client.run(_restore)
    lost = [log for log in merged.logs if "failed on its worker" in (log.get("error") or "")]
    assert lost and any(log["path"].endswith("broken.csv") for log in lost)
    for log in lost:
        assert log["status"] == "error"
        assert log["error"] == (f"{log['path']}: shard {lost_shard(merged, single)}/2 failed on "
                                "its worker: RuntimeError: worker lost its disk")
    # Every other log is exactly the single run's entry.
    lost_paths = {log["path"] for log in lost}
    assert [log for log in merged.logs if log["path"] not in lost_paths] == [
        log for log in single.logs if log["path"] not in lost_paths]
    assert {log["path"] for log in merged.logs} == {log["path"] for log in single.logs}
    assert not any(f["log"] in lost_paths for f in merged.findings)


def lost_shard(merged, single):
    error = next(log["error"] for log in merged.logs if "failed on its worker" in
                 (log.get("error") or ""))
    return int(error.split("shard ", 1)[1].split("/", 1)[0])


def test_a_shard_whose_worker_dies_lists_its_logs_as_failed(fleet):
    # Its own cluster: a worker that dies is restarted by its nanny and patched again by the
    # plugin; the scheduler gives up on the task (KilledWorker) after one retry.
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=":0")
    with distributed.Client(cluster) as c:
        c.register_worker_plugin(_Patch(_die), name="die")
        merged = perfleak.fleet.analyze([fleet], client=c, shards=2)
    cluster.close()
    lost = [log for log in merged.logs if "failed on its worker: KilledWorker" in
            (log.get("error") or "")]
    assert any(log["path"].endswith("broken.csv") for log in lost)
    assert any(log["status"] == "ok" for log in merged.logs), "the other shard merged"


class _Patch:
    """Installs _on_broken_log(action) in every worker, those a nanny restarts too."""

    def __init__(self, action):
        self.action = action

    def setup(self, worker):
        _on_broken_log(self.action)


def test_parts_merge_with_the_cli(client, fleet, tmp_path):
    """A part from Python and one from `perfleak analyze --shard` are parts of one run."""
    options = perfleak._analysis.analysis_options()
    (tmp_path / "p1.json").write_text(
        perfleak._native.analyze_part([str(fleet)], 1, 2, options))
    run_cli("analyze", fleet, "--shard", "2/2", "-o", tmp_path / "p2.json", "--quiet")
    merged = run_cli("merge", tmp_path / "p1.json", tmp_path / "p2.json", "--format", "json")
    assert without_generated(json.loads(merged.stdout)) == without_generated(
        perfleak.analyze([fleet]).document)


def test_bad_options_raise_before_any_work(client, fleet):
    with pytest.raises(ValueError, match="sensitivity"):
        perfleak.fleet.analyze([fleet], client=client, sensitivity="extreme")
    with pytest.raises(TypeError):
        perfleak.fleet.analyze([fleet], client=client, colour="never")
    with pytest.raises(ValueError, match="shards"):
        perfleak.fleet.analyze([fleet], client=client, shards=0)


def test_without_a_client_a_local_cluster_is_started_and_closed(fleet):
    same(perfleak.fleet.analyze([SAMPLE_LOGS / "web01_mixed.csv"]),
         perfleak.analyze([SAMPLE_LOGS / "web01_mixed.csv"]))
