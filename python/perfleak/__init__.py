"""perfleak for Python: Windows Performance Monitor logs (.blg, PDH-CSV/TSV) as pandas
frames, and perfleak's leak analysis as data.

    import perfleak
    df = perfleak.read("web01.blg", [r"\\Process(*)\\Private Bytes"])
    report = perfleak.analyze(["web01.blg"])
    report.findings_frame()
"""

import os

from . import _native
from ._analysis import analysis_options, as_paths, to_report, with_options_signature
from ._errors import LogError, PerfleakError
from ._frame import counter_multiindex, log_to_frame
from ._report import Report

__all__ = ["read", "read_log", "analyze", "fleet", "Report", "Log", "LogError", "PerfleakError",
           "__version__"]
__version__ = _native.__version__
Log = _native.Log


def _patterns(counters):
    if counters is None:
        return []
    if isinstance(counters, (str, bytes, os.PathLike)):
        return [os.fsdecode(counters)]
    return [str(c) for c in counters]


def read_log(path, counters=None, *, skip_bad_rows=False, threads=0):
    """Reads a log into a perfleak.Log: timestamps (int64 100 ns ticks, UTC and local),
    float64 columns (NaN = missing), parsed paths, format, time zone, warnings.

    counters: patterns exactly as the CLI's ``--counters`` (``\\Process(*)\\Private Bytes``,
    ``\\Memory\\*``, ``*Handle Count``); None reads every counter. skip_bad_rows: skip
    malformed rows (listed in ``warnings``) instead of failing. threads: decoding threads for
    large text logs, 0 = all cores. The GIL is released while reading.

    Raises LogError (with .path, .place, .hint) when the log cannot be read, ValueError for a
    malformed pattern.
    """
    return _native.read_log(os.fsdecode(path), _patterns(counters), bool(skip_bad_rows),
                            int(threads))


def read(path, counters=None, *, skip_bad_rows=False, threads=0, multiindex=False):
    """Reads a log into a pandas DataFrame.

    Index: the UTC sample times (tz-aware DatetimeIndex ``time_utc``). Columns: one float64
    column per counter, named by its full path, or with ``multiindex=True`` a MultiIndex
    (machine, object, instance, counter). ``df.attrs`` holds ``time_local`` (the writer's
    wall-clock times, naive DatetimeIndex), ``time_zone``, ``format``, ``source`` and
    ``warnings``. The columns are views of the reader's buffers (no copy). Arguments and
    errors as for read_log().
    """
    return log_to_frame(read_log(path, counters, skip_bad_rows=skip_bad_rows, threads=threads),
                        multiindex=multiindex)


@with_options_signature
def analyze(paths, *, raise_on_error=False, **options):
    """Analyses logs and folders like ``perfleak analyze`` and returns a Report.

    Options mirror the CLI: sensitivity (``low``, ``default``, ``high``), at / from_ / to
    (times as the CLI takes them), process (image name, instance or PID), include / exclude
    (globs inside folders), jobs (logs at once, 0 = all cores), all (``--all``: list ``ok``
    processes too), run_up (``--run-up`` hours), stitch (False = ``--no-stitch``),
    skip_bad_rows, threads (each log's reader threads, 0 = as the CLI picks). A log that
    fails is listed in the report (``report.failed``) like the CLI does; with
    raise_on_error=True the first one raises LogError instead. Bad options raise ValueError
    (an unknown keyword TypeError). The GIL is released while analysing.
    """
    return to_report(_native.analyze(as_paths(paths), analysis_options(**options)), raise_on_error)


from . import fleet  # noqa: E402  (after Report: fleet returns one)
