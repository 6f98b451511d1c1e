"""newstrace.nlp."""
