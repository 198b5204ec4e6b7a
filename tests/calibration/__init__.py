"""Tests of calibration (tests/README.md)."""
