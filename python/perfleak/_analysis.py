"""What perfleak.analyze() and perfleak.fleet.analyze() share: the options as the native module
takes them, the paths, and the Report (raising on a failed log when asked)."""

import inspect
import os

from ._errors import error_for
from ._report import Report


def analysis_options(sensitivity="default", at=None, from_=None, to=None, process=None,
                     include=None, exclude=None, jobs=0, all=False, run_up=6.0, stitch=True,
                     skip_bad_rows=False, threads=0):
    """The options of analyze() as one dict with every key set (an unknown one: TypeError)."""
    return {"sensitivity": str(sensitivity), "at": at or "", "from_": from_ or "", "to": to or "",
            "process": "" if process is None else str(process), "include": list(include or []),
            "exclude": list(exclude or []), "jobs": int(jobs), "all": bool(all),
            "run_up": float(run_up), "stitch": bool(stitch),
            "skip_bad_rows": bool(skip_bad_rows), "threads": int(threads)}


def as_paths(paths):
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    return [os.fsdecode(p) for p in paths]


def to_report(native, raise_on_error):
    report = Report(native)
    if raise_on_error and report.failed:
        first = report.failed[0]
        raise error_for(None, first.get("error", ""), first["path"])
    return report


def with_options_signature(function):
    """Gives `function(paths, ..., **options)` the signature of its options, so help() and
    notebooks list them (the keywords are analysis_options()'s, defined once)."""
    own = inspect.signature(function)
    options = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
               for p in inspect.signature(analysis_options).parameters.values()]
    kept = [p for p in own.parameters.values() if p.kind != inspect.Parameter.VAR_KEYWORD]
    function.__signature__ = own.replace(parameters=kept + options)
    return function
