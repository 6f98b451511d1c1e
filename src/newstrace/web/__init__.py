"""newstrace.web: the local web application (FastAPI pages and JSON API over the store).

Never imports spaCy: ingest from the browser runs `python -m newstrace ingest` in a
subprocess, so `newstrace serve` starts without loading a model.
"""

from newstrace.web.app import create_app
from newstrace.web.config import WebConfig

__all__ = ["WebConfig", "create_app"]
