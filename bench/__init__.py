"""Benchmarks: `make bench` (`python -m bench.run`). Each module has `run(samples) -> list[Result]`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    samples: int
    baseline: str
    baseline_seconds: float
    seconds: float

    @property
    def ratio(self) -> float:
        """How many times faster than the baseline."""
        return self.baseline_seconds / self.seconds
