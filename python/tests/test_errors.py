"""Errors become Python exceptions naming the file, the place and a hint; no input the CLI
survives crashes the interpreter."""

import os
import pathlib

import pytest

import perfleak
from conftest import (CORPUS_DIR, TEST_DATA, cli_json, hostile_inputs, run_cli,
                      without_generated)


def cli_outcome(path, tmp_path):
    proc = run_cli("convert", path, "-o", tmp_path / "out.csv", check=False)
    prefix = "perfleak convert: "
    errors = [l[len(prefix):] for l in proc.stderr.splitlines()
              if l.startswith(prefix) and not l.startswith(prefix + "warning:")]
    return proc.returncode, errors


@pytest.mark.parametrize("path", hostile_inputs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_hostile_input_raises_what_the_cli_prints(path, tmp_path):
    code, errors = cli_outcome(path, tmp_path)
    if code == 0:
        perfleak.read(path)
        return
    with pytest.raises(perfleak.LogError) as info:
        perfleak.read(path)
    assert [str(info.value)] == errors
    assert info.value.path == str(path)


def test_missing_file():
    with pytest.raises(perfleak.LogError) as info:
        perfleak.read("/nonexistent/web01.blg")
    assert info.value.code == "io_error"
    assert info.value.path == "/nonexistent/web01.blg"


def test_directory(tmp_path):
    with pytest.raises(perfleak.LogError) as info:
        perfleak.read_log(tmp_path)
    assert info.value.code == "io_error"


def test_short_row_names_line_and_hint():
    path = TEST_DATA / "csv" / "bad_short_row.csv"
    with pytest.raises(perfleak.LogError) as info:
        perfleak.read(path)
    err = info.value
    assert err.code == "parse_error"
    assert err.place is not None and "line" in err.place, str(err)
    assert str(path) in str(err)
    assert err.hint, str(err)


def test_skip_bad_rows_reads_with_warnings():
    path = TEST_DATA / "csv" / "bad_short_row.csv"
    log = perfleak.read_log(path, skip_bad_rows=True)
    assert log.warnings and log.num_samples > 0


@pytest.mark.parametrize("name,data", [
    ("empty.csv", b""),
    ("nul.blg", b"\0" * 4096),
    ("header_only.csv", b'"(PDH-CSV 4.0)","\\\\M\\Memory\\Available MBytes"\r\n'),
    ("garbage.bin", bytes(range(256)) * 64),
    ("huge_field.csv", b'"(PDH-CSV 4.0)","' + b"x" * (3 << 20) + b'"\r\n'),
], ids=lambda value: value if isinstance(value, str) else "")
def test_generated_hostile_files_raise_log_error_or_read(name, data, tmp_path):
    path = tmp_path / name
    path.write_bytes(data)
    code, errors = cli_outcome(path, tmp_path)
    if code == 0:
        perfleak.read(path)
    else:
        with pytest.raises(perfleak.LogError) as info:
            perfleak.read(path)
        assert [str(info.value)] == errors


@pytest.mark.parametrize("cut", [100, 4096, 65536, 65537, 200_000])
def test_truncated_blg(cut, tmp_path):
    source = CORPUS_DIR / "PAL__SampleLog.blg"
    if not source.exists():
        pytest.skip("no real corpus")
    path = tmp_path / "cut.blg"
    path.write_bytes(source.read_bytes()[:cut])
    code, errors = cli_outcome(path, tmp_path)
    if code == 0:
        log = perfleak.read_log(path)
        assert log.num_samples >= 0
    else:
        with pytest.raises(perfleak.LogError) as info:
            perfleak.read_log(path)
        assert [str(info.value)] == errors


def test_bad_pattern_is_value_error():
    with pytest.raises(ValueError):
        perfleak.read(TEST_DATA / "csv" / "ok_basic.csv", counters=[""])


def test_path_like_and_bytes_paths():
    path = TEST_DATA / "csv" / "ok_basic.csv"
    assert perfleak.read(path).shape == perfleak.read(os.fsencode(path)).shape
    assert perfleak.read(str(path)).shape == perfleak.read(pathlib.Path(path)).shape


@pytest.mark.parametrize("path", hostile_inputs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_hostile_input_analysis_equals_cli_json(path):
    report = perfleak.analyze([path])
    assert without_generated(report.document) == without_generated(cli_json(path))
