"""The values a design's factors take: full-factorial levels and Latin-hypercube samples.

Both take the experiment file's reader (:class:`experiments.design._Reader`), which checks each value
against the model's declaration and raises the experiment's error with the file and field.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_LEVELS_KEYS = {"low", "high", "levels"}
_RANGE_KEYS = {"low", "high"}
MOST = 1_000_000
"""The most levels (or samples) a factor may ask for: beyond, expanding a design would hang."""


def levels(reader, name: str, spec: Any, quick_levels: Any) -> list[Any]:
    """The levels of a full-factorial factor: ``{low, high, levels}`` evenly spaced or a list."""
    where = f"design.factors.{name}"
    parameter = reader.declared(name, where)
    if isinstance(spec, dict):
        reader.unknown(spec, _LEVELS_KEYS, where)
        if parameter.kind == "categorical":
            reader.fail(where, f"a categorical parameter takes a list of values: {list(parameter.choices)}")
        low = reader.value(name, spec.get("low", parameter.low), f"{where}.low")
        high = reader.value(name, spec.get("high", parameter.high), f"{where}.high")
        count = reader.integer(spec.get("levels"), f"{where}.levels", 1, MOST)
        if low > high:
            reader.fail(where, f"low {low} is above high {high}")
        values = [round(float(v), 10) for v in np.linspace(low, high, count)]
        if parameter.kind == "integer":
            values = sorted({int(round(v)) for v in values})
    elif isinstance(spec, list) and spec:
        values = [reader.value(name, v, f"{where}[{k}]") for k, v in enumerate(spec)]
        if len(set(values)) != len(values):
            reader.fail(where, "lists a value twice")
    else:
        reader.fail(where, f"expected a list of values or {{low, high, levels}}, got {spec!r}")
    if quick_levels is not None:
        count = reader.integer(quick_levels, "quick.levels", 1, MOST)
        if len(values) > count:
            picks = np.unique(np.linspace(0, len(values) - 1, count).round().astype(int))
            values = [values[k] for k in picks]
    return values

def latin_hypercube(reader, factors: dict[str, Any], samples: int, master_seed: int
                    ) -> list[dict[str, Any]]:
    """McKay, Beckman & Conover (1979): one sample per stratum of every factor, paired at random.

    Seeded by ``SeedSequence([master_seed, 1])``, a stream apart from the replicate seeds.
    """
    rng = np.random.default_rng(np.random.SeedSequence([master_seed, 1]))
    columns: dict[str, list[Any]] = {}
    for name, spec in factors.items():
        where = f"design.factors.{name}"
        parameter = reader.declared(name, where)
        strata = (rng.permutation(samples) + rng.random(samples)) / samples
        if isinstance(spec, list):
            choices = [reader.value(name, v, f"{where}[{k}]") for k, v in enumerate(spec)]
            if not choices:
                reader.fail(where, "an empty list of values")
            columns[name] = [choices[min(int(u * len(choices)), len(choices) - 1)] for u in strata]
            continue
        spec = reader.table(spec, where)
        reader.unknown(spec, _RANGE_KEYS, where)
        if parameter.kind == "categorical":
            reader.fail(where, f"a categorical parameter takes a list of values: {list(parameter.choices)}")
        low = reader.value(name, spec.get("low", parameter.low), f"{where}.low")
        high = reader.value(name, spec.get("high", parameter.high), f"{where}.high")
        if low > high:
            reader.fail(where, f"low {low} is above high {high}")
        values = [round(float(low + u * (high - low)), 10) for u in strata]
        if parameter.kind == "integer":
            values = [min(int(high), int(low + math.floor(u * (high - low + 1)))) for u in strata]
        columns[name] = values
    return [{name: columns[name][k] for name in columns} for k in range(samples)]

