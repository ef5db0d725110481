"""Running chunks of work on an ``executor=``: a :mod:`concurrent.futures` executor or a Dask ``distributed.Client``.

:func:`compare <corridor_planner.compare>`, :func:`sweep <corridor_planner.sweep>` and
:meth:`Network.matrix <corridor_planner.Network.matrix>` split their work into chunks (one
per scenario network, or one per block of origins), run each chunk with the same code the
local run uses, and put the results back in the order of the local run; so the table is the
same, value for value.

How the network travels:

- a thread pool: the network object itself is shared (nothing is copied);
- a process pool (or anything else with ``submit``/``map``): the network is pickled once per
  call and sent with each chunk as bytes. Only the dataset travels (a few hundred KB for the
  shipped network); lookups, the routing graph and caches are rebuilt on the worker when first
  used. A worker process keeps the last :data:`WORKER_CACHE` networks it unpickled, so the
  chunks of one network that land on the same worker build its routing graph once (an
  executor running in this process drops them when the call returns);
- a Dask ``Client`` (anything with ``scatter``): each network is scattered once
  (``broadcast=True`` when its chunks spread over the workers) and the tasks refer to it.

Errors raised in a worker (:class:`~corridor_planner.errors.NoRouteError`,
:class:`~corridor_planner.errors.InvalidQueryError`...) pickle to themselves and are raised
again, with their messages and attributes, by the call that was given the executor.
"""

from __future__ import annotations

import itertools
import os
import pickle
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ..errors import InvalidQueryError
from ..text import shown

if TYPE_CHECKING:  # pragma: no cover
    from ..network import Network

WORKER_CACHE = 8
"""A worker process keeps this many unpickled networks (and the routing graphs they built) for later chunks."""

CHUNKS_PER_WORKER = 2
"""Blocks of origins a matrix is split into, per worker the executor reports (at least 2 blocks in all)."""

_cache: OrderedDict[str, Network] = OrderedDict()
_lock = threading.Lock()
_counter = itertools.count()


def check_executor(executor: Any) -> None:
    """Raise :class:`InvalidQueryError` unless ``executor`` is ``None`` or has a callable ``submit`` or ``map``."""
    if executor is None:
        return
    if not (callable(getattr(executor, "submit", None)) or callable(getattr(executor, "map", None))):
        raise InvalidQueryError(
            f"executor must have submit() or map() (a concurrent.futures executor or a Dask distributed.Client), "
            f"not {shown(executor)}"
        )


def is_dask(executor: Any) -> bool:
    """Whether ``executor`` is a Dask ``distributed.Client`` (or looks like one: ``scatter`` and ``submit``)."""
    return callable(getattr(executor, "scatter", None)) and callable(getattr(executor, "submit", None))


def workers(executor: Any) -> int:
    """How many workers ``executor`` says it has (1 when it does not say)."""
    if is_dask(executor):
        try:
            return max(1, len(executor.scheduler_info().get("workers", {})))
        except Exception:  # any client-like object: fall back to one
            return 1
    count = getattr(executor, "_max_workers", None)  # ThreadPoolExecutor, ProcessPoolExecutor
    return count if isinstance(count, int) and count > 0 else 1


class _Shipped:
    """A network pickled once, unpickled at most once per worker process (kept in :data:`_cache`)."""

    def __init__(self, net: Network) -> None:
        self.key = f"{os.getpid()}-{uuid.uuid4().hex}-{next(_counter)}"
        self.payload = pickle.dumps(net, protocol=pickle.HIGHEST_PROTOCOL)

    def network(self) -> Network:
        with _lock:
            net = _cache.get(self.key)
            if net is not None:
                _cache.move_to_end(self.key)
                return net
        net = pickle.loads(self.payload)
        with _lock:
            net = _cache.setdefault(self.key, net)
            while len(_cache) > WORKER_CACHE:
                _cache.popitem(last=False)
        return net


def _unwrap(net: Any) -> Network:
    return net.network() if isinstance(net, _Shipped) else net  # type: ignore[no-any-return]


def _call(task: tuple[Callable[..., Any], Any, tuple[Any, ...]]) -> Any:
    fn, net, args = task
    return fn(_unwrap(net), *args)


def run(
    executor: Any,
    fn: Callable[..., Any],
    tasks: Sequence[tuple[Network, tuple[Any, ...]]],
) -> list[Any]:
    """``[fn(net, *args) for net, args in tasks]``, computed on ``executor``, in that order.

    ``fn`` must be a module-level function (it is pickled by reference). A network given to
    several tasks (the same object) is shipped once.
    """
    if not tasks:
        return []
    if isinstance(executor, ThreadPoolExecutor):
        shipped: dict[int, Any] = {id(net): net for net, _ in tasks}  # threads share the objects
        for net in shipped.values():
            net.router.graph  # noqa: B018 - build the routing graph once, before the threads use it
    elif is_dask(executor):
        counts: dict[int, int] = {}
        for net, _ in tasks:
            counts[id(net)] = counts.get(id(net), 0) + 1
        shipped = {}
        for net, _ in tasks:
            if id(net) not in shipped:
                shipped[id(net)] = executor.scatter(net, broadcast=counts[id(net)] > 1, hash=False)
        futures = [executor.submit(fn, shipped[id(net)], *args, pure=False) for net, args in tasks]
        return [future.result() for future in futures]
    else:
        shipped = {}
        for net, _ in tasks:
            if id(net) not in shipped:
                shipped[id(net)] = _Shipped(net)
    calls = [(fn, shipped[id(net)], args) for net, args in tasks]
    try:
        if callable(getattr(executor, "submit", None)):
            futures = [executor.submit(_call, call) for call in calls]
            return [future.result() for future in futures]
        return list(executor.map(_call, calls))
    finally:  # an executor that runs in this process keeps no copies once the call is over
        with _lock:
            for item in shipped.values():
                if isinstance(item, _Shipped):
                    _cache.pop(item.key, None)
