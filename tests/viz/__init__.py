"""Tests of viz (tests/README.md)."""
