"""perfleak.analyze: the same documents as `perfleak analyze --format json`, whole."""

import json
import re

import pandas as pd
import pytest

import perfleak
from conftest import (SAMPLE_LOGS, TEST_DATA, cli_json, corpus_logs, run_cli, sample_logs,
                      without_generated)


def assert_same_as_cli(report, *cli_args):
    assert without_generated(report.document) == without_generated(cli_json(*cli_args))


@pytest.mark.parametrize("path", corpus_logs() + sample_logs(), ids=lambda p: p.name)
def test_analysis_equals_cli_json(path):
    assert_same_as_cli(perfleak.analyze([path]), path)


@pytest.mark.parametrize("options,flags", [
    ({"sensitivity": "high"}, ["--sensitivity", "high"]),
    ({"all": True}, ["--all"]),
    ({"at": "2026-11-20 06:30"}, ["--at", "2026-11-20 06:30"]),
    ({"from_": "2026-11-20 02:00", "to": "2026-11-20 05:00"},
     ["--from", "2026-11-20 02:00", "--to", "2026-11-20 05:00"]),
    ({"process": "OrderService"}, ["--process", "OrderService"]),
    ({"run_up": 2.0, "at": "2026-11-20 06:30"}, ["--run-up", "2", "--at", "2026-11-20 06:30"]),
])
def test_options_mirror_the_cli(options, flags):
    path = SAMPLE_LOGS / "app05_incident.csv"
    assert_same_as_cli(perfleak.analyze([path], **options), path, *flags)


def test_folder_with_include_exclude_and_jobs(tmp_path):
    report = perfleak.analyze([SAMPLE_LOGS], include=["*.csv"], exclude=["app03*"], jobs=2)
    assert_same_as_cli(report, SAMPLE_LOGS, "--include", "*.csv", "--exclude", "app03*",
                       "--jobs", "2")
    assert {log["path"].rsplit("/", 1)[1] for log in report.logs} == {
        "app05_incident.csv", "batch04_threads.csv", "web01_mixed.csv"}


def test_findings_have_the_json_contract_fields():
    report = perfleak.analyze(SAMPLE_LOGS / "web01_mixed.csv")
    assert report.findings, "web01_mixed has leaks"
    assert report.findings == report.document["findings"]
    frame = report.findings_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) == len(report.findings)
    contract = {"rank", "log", "machine", "process", "instance", "pids", "verdict", "score",
                "summary", "next_step", "evidence"}
    assert contract <= set(frame.columns)
    ranked = frame["rank"].dropna()
    assert list(ranked) == list(range(1, len(ranked) + 1))
    unranked = frame[frame["rank"].isna()]
    assert all(unranked["system"] | (unranked["verdict"] == "not_judged"))
    assert set(frame.columns) == set().union(*(f.keys() for f in report.findings))


def test_know_the_process_fields_are_the_json_contracts():
    """Issue 17: kind, app_pool, evidence[].explained_by and services (from the case folder's
    tasklist /svc export) reach the findings dicts exactly as the CLI's JSON has them."""
    case = TEST_DATA / "issue_17"
    report = perfleak.analyze([case], all=True)
    assert_same_as_cli(report, case, "--all")
    by_pid = {f["pids"][0]: f for f in report.findings if f["pids"]}
    orders = by_pid[4312]
    assert orders["verdict"] == "leak"
    assert orders["kind"] == "managed"
    assert orders["app_pool"] == "OrdersApi"
    private_bytes = next(e for e in orders["evidence"] if e["counter"] == "Private Bytes")
    assert private_bytes["explained_by"][0]["counter"] == "# Bytes in all Heaps"
    assert 0.8 < private_bytes["explained_by"][0]["share"] <= 1.0
    assert by_pid[5120]["app_pool"] == "DefaultAppPool"
    services = by_pid[1132]["services"]
    assert services["source"].endswith("WEB01_tasklist_svc.csv")
    assert services["export_time_local"] is None
    assert services["pids"] == [{"pid": 1132, "names": ["Dnscache"]}]
    assert "services" not in orders
    frame = report.findings_frame()
    assert {"kind", "app_pool", "services"} <= set(frame.columns)


def test_system_memory_and_system_findings():
    report = perfleak.analyze(SAMPLE_LOGS / "app05_incident.csv", at="2026-11-20 06:30")
    assert len(report.system) == 1
    system = report.system[0]
    assert system["log"] == report.logs[0]["path"]
    assert system["machines"][0]["machine"] == "APP05"
    assert system["incident_utc"] is not None
    machine_wide = report.findings_frame(system=True)
    assert all(machine_wide["system"]) if len(machine_wide) else True


def test_reports_in_every_format_match_the_cli(tmp_path):
    path = SAMPLE_LOGS / "web01_mixed.csv"
    report = perfleak.analyze(path)
    assert json.loads(report.to_json()) == report.document
    cli_text = run_cli("analyze", path, "--color", "never").stdout
    stamp = re.compile(r"\(generated [^)]*\)")
    assert f"(generated {report.generated_utc})" in report.to_text()
    assert stamp.sub("", report.to_text()) == stamp.sub("", cli_text)
    html = tmp_path / "report.html"
    report.to_html(html)
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and report.generated_utc in text


def test_failed_log_is_listed_not_raised(tmp_path):
    bad = tmp_path / "broken.csv"
    bad.write_bytes(b"not a log at all\n")
    report = perfleak.analyze([bad, SAMPLE_LOGS / "web01_mixed.csv"])
    # Logs are ordered by path, which depends on where the checkout and the temp folder are.
    status = {log["path"]: log["status"] for log in report.logs}
    assert status == {str(bad): "error", str(SAMPLE_LOGS / "web01_mixed.csv"): "ok"}
    assert report.failed[0]["path"] == str(bad)
    assert_same_as_cli(report, bad, SAMPLE_LOGS / "web01_mixed.csv")
    with pytest.raises(perfleak.LogError) as info:
        perfleak.analyze([bad], raise_on_error=True)
    assert info.value.path == str(bad)


def test_bad_options_raise_value_error():
    path = SAMPLE_LOGS / "web01_mixed.csv"
    with pytest.raises(ValueError, match="sensitivity"):
        perfleak.analyze(path, sensitivity="extreme")
    with pytest.raises(ValueError, match="at"):
        perfleak.analyze(path, at="not a time")
    with pytest.raises(ValueError):
        perfleak.analyze(path, at="1999-01-01 00:00")  # outside the log, as the CLI's exit 2
    with pytest.raises(ValueError, match="run_up"):
        perfleak.analyze(path, run_up=0)


def test_readme_example_selects_the_top_findings_private_bytes():
    path = SAMPLE_LOGS / "web01_mixed.csv"
    df = perfleak.read(path)
    report = perfleak.analyze(path)
    top = report.findings[0]
    selected = df.filter(like=f"({top['instance']})\\Private Bytes")
    assert list(selected.columns) == [f"\\\\{top['machine']}\\Process({top['instance']})"
                                      "\\Private Bytes"]
    table = report.findings_frame()[["rank", "verdict", "process", "summary"]]
    assert top["rank"] == 1 and table["rank"].iloc[0] == 1


def test_no_data_logs_are_listed_with_their_reason(corpus):
    report = perfleak.analyze(corpus)
    assert report.no_data, "the real corpus has logs without Process or Memory counters"
    for log in report.no_data:
        assert log["reason"] and "logman" in log["collect_hint"]
    assert {log["path"] for log in report.no_data} == {
        log["path"] for log in report.document["logs"] if log["status"] == "no_data"}


def test_help_lists_every_option():
    """analyze() takes **options, but help() and notebooks see the keywords themselves."""
    import inspect

    names = list(inspect.signature(perfleak.analyze).parameters)
    assert names[:2] == ["paths", "raise_on_error"]
    assert {"sensitivity", "at", "from_", "to", "process", "include", "exclude", "jobs", "all",
            "run_up", "stitch", "skip_bad_rows", "threads"} == set(names[2:])
    assert list(inspect.signature(perfleak.fleet.analyze).parameters)[:3] == [
        "paths", "client", "shards"]
