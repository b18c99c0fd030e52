"""Turning a decoded Log into a pandas DataFrame without copying its columns."""

import numpy as np

__all__ = ["to_datetime_index", "log_to_frame", "counter_multiindex"]

_NS_PER_TICK = 100  # perfleak ticks are 100 ns


def to_datetime_index(ticks, utc, name):
    """int64 ticks (100 ns since 1970) to a DatetimeIndex, UTC-aware or naive local."""
    import pandas as pd

    index = pd.DatetimeIndex((np.asarray(ticks, dtype=np.int64) * _NS_PER_TICK).view("M8[ns]"),
                             name=name)
    return index.tz_localize("UTC") if utc else index


def counter_multiindex(log):
    """Columns as a MultiIndex (machine, object, instance, counter); instance is
    ``parent/name#n`` as the path writes it, empty for counters without one."""
    import pandas as pd

    return pd.MultiIndex.from_tuples(log.path_parts,
                                     names=["machine", "object", "instance", "counter"])


def log_to_frame(log, multiindex=False):
    """A DataFrame over the log's own column buffers.

    pandas keeps each column as its own block when given a dict of arrays with copy=False,
    so every column is a view of a NumPy array that borrows the reader's std::vector (the
    array's base keeps the Log alive). Nothing is copied per cell; only the time index
    (one int64 per sample) is converted.
    """
    import pandas as pd

    index = to_datetime_index(log.time_utc, True, "time_utc")
    columns = log.columns
    frame = pd.DataFrame(dict(enumerate(columns)), index=index, copy=False)
    if not columns:
        frame = pd.DataFrame(index=index)
    frame.columns = counter_multiindex(log) if multiindex else pd.Index(log.paths, name="counter")
    frame.attrs["time_local"] = to_datetime_index(log.time_local, False, "time_local")
    frame.attrs["source"] = log.source
    frame.attrs["format"] = log.format
    frame.attrs["time_zone"] = log.time_zone
    frame.attrs["warnings"] = log.warnings
    return frame
