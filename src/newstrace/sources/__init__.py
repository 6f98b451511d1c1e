"""newstrace.sources."""
