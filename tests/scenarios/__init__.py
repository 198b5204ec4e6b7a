"""Tests of scenarios (tests/README.md)."""
