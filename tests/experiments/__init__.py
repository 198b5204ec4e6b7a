"""Tests of experiments (tests/README.md)."""
