"""newstrace.analysis."""
