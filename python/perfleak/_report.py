"""The analysis as Python data: the JSON report, parsed.

A Report's dicts are exactly the documents `perfleak analyze --format json` writes (the
contract in docs/report-json.md), so they follow the JSON schema as it evolves instead of
mirroring C++ structs field by field.
"""

import json

__all__ = ["Report"]


class Report:
    """The result of perfleak.analyze().

    Attributes:
        document: the whole JSON report as a dict (what ``to_json()`` returns, parsed).
        findings: list of finding dicts, ranked (``rank`` 1 first), with the JSON fields.
        logs: list of log dicts (``status`` ``ok`` or ``error`` with ``error``, ...).
        system: list of the per-log system-memory sections (``logs[].system``), each with
            the ``log`` path added; logs without Memory counters have none.
    """

    def __init__(self, native):
        self._native = native
        self._json = native.to_json()
        self.document = json.loads(self._json)
        self.findings = self.document["findings"]
        self.logs = self.document["logs"]
        self.system = [dict(log["system"], log=log["path"]) for log in self.logs
                       if log.get("system") is not None]

    @property
    def generated_utc(self):
        return self.document.get("generated_utc")

    @property
    def failed(self):
        """The logs that could not be read (status ``error``)."""
        return [log for log in self.logs if log.get("status") == "error"]

    @property
    def no_data(self):
        """The logs read but holding nothing perfleak judges (schema 2 status ``no_data``,
        with ``reason`` and ``collect_hint``)."""
        return [log for log in self.logs if log.get("status") == "no_data"]

    def findings_frame(self, system=None):
        """The findings as a DataFrame, one row per finding, columns the JSON fields
        (``evidence`` and other nested values stay lists/dicts). ``system=True`` keeps only
        machine-wide findings, ``False`` only processes, None both."""
        import pandas as pd

        rows = self.findings
        if system is not None:
            rows = [f for f in rows if bool(f.get("system")) == system]
        frame = pd.DataFrame.from_records(rows)
        if "rank" in frame.columns:
            # System and not-judged findings have rank null: keep the others integers.
            frame["rank"] = frame["rank"].astype("Int64")
        return frame

    def logs_frame(self):
        """The logs as a DataFrame, one row per log."""
        import pandas as pd

        return pd.DataFrame.from_records(self.logs)

    def to_json(self):
        """The JSON report, byte for byte what the CLI writes (same generation time)."""
        return self._json

    def to_text(self, width=100):
        """The text report (no colour)."""
        return self._native.to_text(width)

    def to_html(self, path):
        """Writes the self-contained HTML report to ``path``."""
        self._native.to_html(str(path))

    def __repr__(self):
        ctx = self.document.get("context", {})
        return (f"<perfleak.Report: {ctx.get('logs', len(self.logs))} logs, "
                f"{ctx.get('leaks', 0)} leaks, {ctx.get('suspects', 0)} suspects>")
