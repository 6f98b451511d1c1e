"""newstrace.clean."""
