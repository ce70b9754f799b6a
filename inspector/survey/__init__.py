"""inspector survey: the same scorecard for many systems, scanned as Dask tasks."""
