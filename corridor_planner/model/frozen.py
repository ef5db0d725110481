"""A read-only mapping that pickles: the tables of a dataset as the public sees them.

``types.MappingProxyType`` is read-only but cannot be pickled, and a plain
``dict`` handed out by ``Network.modes`` could be cleared by a caller, breaking
every later ``apply()``. :class:`FrozenMap` is neither: it has no mutating
methods, compares equal to a dict with the same items, and pickles.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["FrozenMap", "frozen"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """An immutable mapping (a copy of the items it is given).

    Examples
    --------
    >>> m = FrozenMap({"a": 1})
    >>> m["a"], m == {"a": 1}, dict(m)
    (1, True, {'a': 1})
    >>> m["b"] = 2
    Traceback (most recent call last):
    ...
    TypeError: 'FrozenMap' object does not support item assignment
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[K, V] | None = None) -> None:
        self._items: dict[K, V] = dict(items or {})

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        try:
            return key in self._items
        except TypeError:  # an unhashable key is in no mapping
            return False

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._items,))


def frozen(items: Mapping[K, V] | None) -> FrozenMap[K, V]:
    """``items`` as a :class:`FrozenMap` (itself when it already is one)."""
    return items if isinstance(items, FrozenMap) else FrozenMap(items)
