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


def test_the_kept_tables_hold_at_most_the_entries_allowed_the_newest_always_kept(monkeypatch):
    monkeypatch.setattr(design_cache, "TABLE_ENTRIES", 10)
    scenario = load("symmetric")

    def table(key, size):
        return design_cache.remember(scenario, "a sized table of this test", key,
                                     lambda: {k: k for k in range(size)}, keep=8)

    first = table("a", 4)
    table("b", 5)  # 4 + 5 entries: both kept
    assert table("a", 4) is first
    table("c", 3)  # 4 + 5 + 3 > 10: the oldest met ("b", since "a" was met again) goes
    kept = [key[2] for key in design_cache._TABLES["a sized table of this test"]
            if key[1] == id(scenario)]
    assert kept == ["a", "c"]
    table("d", 25)  # alone above the limit: kept, every other goes
    kept = [key[2] for key in design_cache._TABLES["a sized table of this test"]
            if key[1] == id(scenario)]
    assert kept == ["d"]


def test_the_valuation_tables_of_many_design_points_do_not_accumulate():
    scenario = load("asia")
    for power in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0):
        DeterrenceModel(scenario, "collective", rng=1, collect=False,
                        challenger_power_scale=power).run(40)
    kept = [key for key in design_cache._TABLES["valuation"] if key[1] == id(scenario)]
    assert len(kept) == design_cache.TABLES


def test_a_loop_over_every_structure_at_each_seed_keeps_each_structures_tables():
    """Each structure is a design point of its own: running them in turn, seed after seed, each
    finds the tables its last run filled (with two kept, each run started afresh)."""
    from model.structure import NAMES

    scenario = load("asia")
    tables = {}
    for seed in (1, 2):
        for structure in NAMES:
            model = DeterrenceModel(scenario, structure, rng=seed, collect=False)
            model.run(8)
            if seed == 1:
                tables[structure] = model.negotiation.valuation._shared
            else:
                assert model.negotiation.valuation._shared is tables[structure], structure
