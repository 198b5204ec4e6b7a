"""Tests of sensitivity (tests/README.md)."""
