"""A small per-process cache of datasets and computed results (LRU, thread-safe).

Keys name everything a value depends on, the data's state among them
(:func:`actionplan.server.stats.store.state`), so a cached value is never stale: a new
import makes new keys, and old entries fall out as newer ones come in.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_CACHE: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_CACHE_SIZE = 48
_LOCK = threading.Lock()
_KEY_LOCKS: dict[tuple[Any, ...], threading.Lock] = {}


def cached(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """``build()`` once per key (a small LRU per process); two threads asking at once build it once."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        lock = _KEY_LOCKS.setdefault(key, threading.Lock())
    with lock:
        with _LOCK:
            if key in _CACHE:
                return _CACHE[key]
        value = build()
        with _LOCK:
            _CACHE[key] = value
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
            _KEY_LOCKS.pop(key, None)
        return value


def clear_caches() -> None:
    """Forget every cached dataset and result (tests; the keys already follow the data)."""
    with _LOCK:
        _CACHE.clear()
