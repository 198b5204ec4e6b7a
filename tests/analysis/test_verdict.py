"""The verdict of one run in words (``analysis/verdict.py``), on rows written by hand."""

from __future__ import annotations

import math

from analysis.verdict import verdict

MET = {"no_great_power_war": 1, "no_major_loss": 1, "sq_loss_below_threshold": 1, "intact": 1,
       "formed": 1, "no_exit": 1, "commitments_kept": 1, "stable": 1, "cohesive": 1,
       "stable_cohesive": 1, "great_power_wars": 0, "flashpoints_lost_major": 0, "lost_flashpoints": "",
       "sq_loss_value": 0.5, "sq_loss_threshold": 2.0, "time_to_dissolution": math.nan,
       "coverage_initial": 0.75, "quorum": 0.5, "bound_at_formation": "A;B;C", "exits": 0,
       "ties_ended": 0, "exited_states": "", "invoked": 0, "reliability": math.nan,
       "cohesion_reliability": 0.5}


def test_a_stable_and_cohesive_run_says_so_and_what_each_part_saw():
    lines = verdict(MET).splitlines()
    assert lines[0] == ("Verdict: stable and cohesive (the headline definition: order and cohesion).")
    assert lines[1] == ("  stable (order): yes -- no great-power war: 0 great-power wars; no flashpoint "
                        "lost to a major attack: 0 losses of a flashpoint to a major attack; status-quo loss "
                        "below threshold: cumulative status-quo loss 0.5 against the threshold 2; "
                        "structure intact: did not dissolve")
    assert lines[2].startswith("  cohesive (cohesion): yes -- structure formed: coverage at formation "
                               "0.75 (quorum 0.5) (A, B, C); ")
    assert lines[2].endswith("invoked commitments honoured: no commitment invoked")


def test_the_parts_not_met_are_the_ones_named():
    row = {**MET, "sq_loss_below_threshold": 0, "sq_loss_value": 2.25, "stable": 0, "stable_cohesive": 0,
           "no_exit": 0, "exits": 1, "ties_ended": 2, "exited_states": "B", "cohesive": 0}
    lines = verdict(row).splitlines()
    assert lines[0] == ("Verdict: NOT stable and cohesive (the headline definition: order and cohesion), "
                        "because not stable and not cohesive.")
    assert lines[1] == ("  stable (order): NO -- decided by status-quo loss below threshold: cumulative "
                        "status-quo loss 2.25 against the threshold 2")
    assert lines[2] == ("  cohesive (cohesion): NO -- decided by no exit and no tie ended: 1 exit, 2 ties "
                        "ended (B)")


def test_without_a_structure_cohesion_is_undefined_and_order_is_judged_alone():
    row = {**MET, "cohesive": math.nan, "stable_cohesive": math.nan, "no_exit": math.nan,
           "commitments_kept": math.nan, "coverage_initial": math.nan}
    lines = verdict(row).splitlines()
    assert lines[0].startswith("Verdict: stable and cohesive (the headline definition: order and cohesion) "
                               "is undefined")
    assert lines[1].startswith("  stable (order): yes")
    assert lines[2] == "  cohesive (cohesion): undefined without a structure"


def test_commitments_kept_names_the_share_honoured_and_the_share_needed():
    row = {**MET, "commitments_kept": 0, "cohesive": 0, "stable_cohesive": 0, "invoked": 4,
           "reliability": 0.25}
    assert verdict(row).splitlines()[2] == (
        "  cohesive (cohesion): NO -- decided by invoked commitments honoured: 4 commitments invoked, "
        "0.25 honoured, 0.5 needed")
