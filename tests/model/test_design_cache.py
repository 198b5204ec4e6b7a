"""The cache of what a design point implies keeps its growing tables for the last design points only."""

from __future__ import annotations

from model import DeterrenceModel, design_cache
from scenarios import load


def test_a_growing_table_is_kept_for_the_last_design_points_only():
    scenario = load("symmetric")
    made = []

    def table(key):
        return design_cache.remember(scenario, "a table of this test", key,
                                     lambda: made.append(key) or {"key": key}, keep=2)

    first = table("point 1")
    assert table("point 1") is first and made == ["point 1"]
    table("point 2")
    table("point 3")  # three points met: the first one's table goes
    assert table("point 3")["key"] == "point 3" and made == ["point 1", "point 2", "point 3"]
    assert table("point 1") is not first and made[-1] == "point 1"
    # a value without keep stays among the design point's fixed values
    fixed = design_cache.remember(scenario, "a value of this test", 1, lambda: object())
    for key in range(10):
        table(key)
    assert design_cache.remember(scenario, "a value of this test", 1, lambda: object()) is fixed


def test_the_valuation_tables_of_many_design_points_do_not_accumulate():
    scenario = load("asia")
    for power in (0.5, 1.0, 2.0, 3.0):
        DeterrenceModel(scenario, "collective", rng=1, collect=False,
                        challenger_power_scale=power).run(40)
    kept = [key for key in design_cache._TABLES["valuation"] if key[1] == id(scenario)]
    assert len(kept) == design_cache.TABLES
