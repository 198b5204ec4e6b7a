"""Horizontal escalation as a decision: a war opens a second front at a neighbouring flashpoint, where
the challenger chooses whether and how hard to strike (docs/ODD.md, submodel 5)."""

from __future__ import annotations

import pytest

from model import DeterrenceModel


def test_a_challenger_at_war_next_door_is_spared_the_fixed_cost_of_being_opposed(asia):
    model = DeterrenceModel(asia, "collective", rng=1, formation="imposed")
    china = model.challengers[0]
    utility, opposed, _, _ = china.assess(1, 0.5, False)
    at_war, opposed_again, _, _ = china.assess(1, 0.5, False, at_war=True)
    assert opposed == opposed_again
    assert at_war - utility == pytest.approx(opposed * model.params["challenger_fixed_war_cost"])


def test_without_coupling_no_war_opens_a_second_front(asia):
    metrics = DeterrenceModel(asia, "collective", rng=2, collect=False, theatre_coupling=0.0,
                              opportunity_scale=4).run(200)
    assert metrics["second_fronts"] == 0 and metrics["escalations"] == 0


def test_with_full_coupling_every_war_with_room_to_spread_opens_a_second_front(asia):
    model = DeterrenceModel(asia, "collective", rng=2, collect=False, theatre_coupling=1.0,
                            opportunity_scale=4, max_spread_hops=1)
    metrics = model.run(200)
    wars_at_hop0 = sum(1 for c in model.crisis_log if c.hop == 0 and c.fought and not c.war_steps
                       and model.flashpoints[[f.name for f in model.flashpoints].index(c.flashpoint)
                                             ].neighbours)
    assert metrics["second_fronts"] == wars_at_hop0 > 0
    assert 0 <= metrics["escalations"] <= metrics["second_fronts"]
    chosen = [c for c in model.crisis_log if c.second_front]
    assert len(chosen) == metrics["second_fronts"]
