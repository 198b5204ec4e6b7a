"""Tests of cli (tests/README.md)."""
