"""Helpers the tests share: hand-built scenarios and experiments, the golden runs, the command line."""
