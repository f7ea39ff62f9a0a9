"""Question set, benchmark runner and metrics."""
