"""The test suite (tests/README.md: what each folder holds and where a new test goes)."""
