"""Timing helpers of the benchmarks: CPU time per call, percentiles, progress on stderr."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

STARTED = time.monotonic()
LOADS: list[float] = []  # the 1-minute load average at every progress line


def progress(message: str) -> None:
    """One progress line on stderr, with the time since the run started and the load."""
    minutes, seconds = divmod(int(time.monotonic() - STARTED), 60)
    LOADS.append(load_average())
    print(f"[{minutes:02d}:{seconds:02d} load {LOADS[-1]:.1f}] {message}", file=sys.stderr,
          flush=True)


def load_average() -> float:
    """The 1-minute load average (0 where the system has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and the child processes it waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def cpu_call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """CPU milliseconds one call takes (this thread's CPU time, not the wall clock), and its
    result."""
    start = time.thread_time()
    result = function(*args, **kwargs)
    return (time.thread_time() - start) * 1000, result


def cpu_ms(function: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
    """CPU milliseconds one call takes."""
    return cpu_call(function, *args, **kwargs)[0]


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


@dataclass
class Spread:
    """Median and 95th percentile of a series of timings."""

    p50: float
    p95: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        """The spread of the values (NaN for none)."""
        if not values:
            return cls(float("nan"), float("nan"))
        return cls(statistics.median(values), percentile(values, 0.95))

    def __str__(self) -> str:
        return f"{self.p50:.1f} / {self.p95:.1f}"
