"""Read queries the pages need beyond `Store`'s own: offsets, totals, cross-article views.

They read the store's tables through `store.engine` (SQLAlchemy Core) and return small
frozen dataclasses. Candidates to move into `store`/`analysis` once those offer them.
"""
