"""newstrace.cli."""
