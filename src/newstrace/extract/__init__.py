"""newstrace.extract."""
