"""newstrace.web: the local web application (FastAPI)."""
