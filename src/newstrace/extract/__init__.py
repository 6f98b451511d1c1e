"""newstrace.extract: entities, claims, figures and times from a parsed article.

Each extractor is a function over a spaCy ``Doc`` and can be used alone;
`extract_record` runs them all and links figures and times to claims.
"""

from newstrace.extract.claims import extract_claims
from newstrace.extract.entities import extract_entities
from newstrace.extract.figures import extract_figures
from newstrace.extract.pipeline import extract_record, extract_records
from newstrace.extract.times import extract_times, normalize_time
from newstrace.extract.validate import validate_record

__all__ = [
    "extract_claims",
    "extract_entities",
    "extract_figures",
    "extract_record",
    "extract_records",
    "extract_times",
    "normalize_time",
    "validate_record",
]
