"""Tests across packages: the golden runs, fast run = reference, determinism, Mesa, a dask cluster,
packaging, release and the docs."""
