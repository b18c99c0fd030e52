"""Shared fixtures: where the CLI, the real corpus and the test data are.

ctest sets PERFLEAK_CLI, PERFLEAK_SOURCE_DIR and PYTHONPATH (python/CMakeLists.txt); run by
hand, the defaults are the ci preset's build tree.
"""

import json
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("PERFLEAK_SOURCE_DIR",
                                         pathlib.Path(__file__).resolve().parents[2]))
CLI = pathlib.Path(os.environ.get("PERFLEAK_CLI", SOURCE_DIR / "build/ci/src/cli/perfleak"))
SHARED_DIR = pathlib.Path(os.environ.get("PERFLEAK_SHARED_DIR", SOURCE_DIR.parent / "shared"))
CORPUS_DIR = SHARED_DIR / "corpus" / "real"
TEST_DATA = SOURCE_DIR / "tests" / "data"
SAMPLE_LOGS = SOURCE_DIR / "sample_logs"
LOG_SUFFIXES = {".blg", ".csv", ".tsv"}


def corpus_logs():
    if not CORPUS_DIR.is_dir():
        return []
    return sorted(p for p in CORPUS_DIR.iterdir() if p.suffix.lower() in LOG_SUFFIXES)


def sample_logs():
    return sorted(p for p in SAMPLE_LOGS.iterdir() if p.suffix.lower() in LOG_SUFFIXES)


def hostile_inputs():
    """Fuzz seeds and crashers, bad_* fixtures and the damaged real logs."""
    # Not the case bundles of fuzz/archive/: the CLI opens archives, perfleak.read reads one log.
    files = [p for p in (TEST_DATA / "fuzz").rglob("*")
             if p.is_file() and p.name != "README.md" and p.parent.name != "archive"]
    files += sorted((TEST_DATA / "csv").glob("bad_*"))
    files += [p for p in corpus_logs() if "Bad" in p.name or "Corrupt" in p.name]
    return sorted(files)


def run_cli(*args, check=True):
    if not CLI.exists():
        pytest.fail(f"perfleak CLI not found at {CLI} (set PERFLEAK_CLI)")
    proc = subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True)
    if check and proc.returncode not in (0, 1):
        raise AssertionError(f"perfleak {' '.join(map(str, args))} exited {proc.returncode}: "
                             f"{proc.stderr}")
    return proc


def cli_json(*args):
    """The CLI's JSON report for `perfleak analyze ARGS --format json`, parsed."""
    proc = run_cli("analyze", *args, "--format", "json", "--quiet", check=False)
    # 3 = no log could be analysed, 4 = nothing judged: the report is still written.
    assert proc.returncode in (0, 1, 3, 4), proc.stderr
    return json.loads(proc.stdout)


def without_generated(document):
    return {k: v for k, v in document.items() if k != "generated_utc"}


@pytest.fixture(scope="session")
def corpus():
    logs = corpus_logs()
    if not logs:
        pytest.skip(f"no real corpus at {CORPUS_DIR}")
    return logs
