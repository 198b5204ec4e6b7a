"""Tests of the model package: rules, decisions, limits, membership, formation, invariants, declarations."""
