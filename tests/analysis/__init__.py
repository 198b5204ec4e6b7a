"""Tests of analysis (tests/README.md)."""
