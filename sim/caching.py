"""A small bounded cache for what a process builds once and every run of a scenario shares.

Hex maps, movement tables, supply networks and parsed YAML files depend only on
their inputs, so a worker that plays a thousand runs builds each once. The cache
keeps the most recently used entries up to its size, so a long sweep over many
map or hex-size variants cannot grow memory without bound.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable


class BoundedCache[V]:
    """Values by hashable key, least recently used dropped beyond `size` entries."""

    def __init__(self, size: int = 16):
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value kept for `key`, built (and kept) on first use."""
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = build()
        self._items[key] = value
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
