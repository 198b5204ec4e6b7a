"""Stable positions for the network drawing: the scenario's map, with close neighbours eased apart.

Every state, challenger and flashpoint is drawn at its (longitude, latitude) on an equirectangular
map, so the picture reads as geography and nothing moves between steps. Where two places coincide
or nearly do (the United Kingdom projects power from Singapore in the Asia scenario), they are
pushed apart deterministically until they are at least ``spacing`` of the map's extent apart; the
result depends only on the locations, never on a random draw.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def spread(
    points: Sequence[tuple[float, float]], spacing: float = 0.06, iterations: int = 200
) -> np.ndarray:
    """``points`` (lon, lat) moved apart so that no two are closer than ``spacing`` x the extent.

    A deterministic relaxation: each pass pushes every too-close pair apart along the line that
    joins them, half the shortfall each; coincident points are separated along a direction fixed
    by their order (the golden angle), so equal inputs always give equal outputs.

    Returns:
        (n, 2) array of x, y positions in degrees.
    """
    xy = np.array(points, dtype=float).reshape(-1, 2)
    n = len(xy)
    if n < 2:
        return xy
    extent = float(max(np.ptp(xy[:, 0]), np.ptp(xy[:, 1]), 1.0))
    minimum = spacing * extent
    for _ in range(iterations):
        moved = False
        for a in range(n):
            for b in range(a + 1, n):
                delta = xy[b] - xy[a]
                distance = float(math.hypot(*delta))
                if distance >= minimum * 0.999:
                    continue
                if distance < 1e-9:
                    angle = GOLDEN_ANGLE * (a * n + b)
                    direction = np.array([math.cos(angle), math.sin(angle)])
                else:
                    direction = delta / distance
                push = 0.5 * (minimum - distance) * direction
                xy[a] -= push
                xy[b] += push
                moved = True
        if not moved:
            break
    return xy
