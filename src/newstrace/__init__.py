"""newstrace: who said what, about whom, when, with which figure, on whose authority."""

from newstrace.models import (
    Article,
    ChainLink,
    Claim,
    Entity,
    Figure,
    Record,
    Span,
    Speaker,
    TimeExpression,
)

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ChainLink",
    "Claim",
    "Entity",
    "Figure",
    "Record",
    "Span",
    "Speaker",
    "TimeExpression",
    "__version__",
]
