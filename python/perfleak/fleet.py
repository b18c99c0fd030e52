"""Fleet scale: one run split into shards over a dask.distributed cluster and merged into the
report a single ``perfleak.analyze`` over the same inputs gives.

Each shard is ``perfleak analyze INPUTS --shard K/N`` run inside a worker (the native module,
GIL released); its report part (JSON text) comes back to the client, which merges the parts
as ``perfleak merge`` does. The workers must see the paths (shared storage). Dask is imported
only when this is called (Debian: python3-distributed).
"""

import os

from . import _native
from ._analysis import analysis_options, as_paths, to_report, with_options_signature

__all__ = ["analyze"]


@with_options_signature
def analyze(paths, client=None, shards=None, *, raise_on_error=False, **options):
    """Analyses logs and folders in ``shards`` parts over a dask.distributed cluster and returns
    the merged Report: the same findings, ranking, fleet summary and failures as
    ``perfleak.analyze(paths, **options)`` (the JSON equal apart from ``generated_utc``).

    client: a ``distributed.Client``; None starts a LocalCluster of 2 worker processes (one
    thread each) for the call and closes it after. shards: number of parts (default: one per
    worker); the logs of one machine stay in one part, so roll-over parts are still stitched.
    A shard whose task raises or whose worker dies does not stop the run: its logs are listed
    as failed with the error, and the other shards are merged. Options as for
    perfleak.analyze(); jobs=0 with the local cluster gives each worker its share of the cores.

    The local cluster's workers are spawned processes that import the calling script again:
    in a script, call this under ``if __name__ == "__main__":`` (as for multiprocessing).
    """
    paths = as_paths(paths)
    opts = analysis_options(**options)
    _native.check_options(opts)
    if shards is not None and int(shards) < 1:
        raise ValueError("shards must be at least 1")
    own = _local_client() if client is None else None  # started here, closed here
    if own is not None:
        client = own
        if opts["jobs"] == 0:
            opts["jobs"] = max(1, (os.cpu_count() or 1) // _workers(client))
    try:
        count = int(shards) if shards is not None else _workers(client)
        indices = list(range(1, count + 1))
        futures = client.map(_shard_part, indices, count=count, paths=paths, options=opts,
                             pure=False)
        texts = [_collect(future, k, count, paths, opts) for k, future in zip(indices, futures)]
    finally:
        if own is not None:
            cluster = own.cluster
            own.close()
            cluster.close()
    return to_report(_native.merge_parts(texts), raise_on_error)


def _shard_part(index, count, paths, options):
    # Runs in a worker: looks the module up there (a test may replace analyze_part).
    from perfleak import _native as native

    return native.analyze_part(paths, index, count, options)


def _collect(future, index, count, paths, options):
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001  (any worker failure: the shard's logs fail)
        reason = f"shard {index}/{count} failed on its worker: {type(error).__name__}: {error}"
        return _native.analyze_part(paths, index, count, options, failure=reason)


def _workers(client):
    return max(1, len(client.scheduler_info().get("workers", {})))


def _local_client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=":0")
    return Client(cluster)
