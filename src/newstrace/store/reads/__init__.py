"""The store's read queries beyond `Store`'s own: pages with totals and offsets, one
entity's record, search, figure units. All SQL of reads lives in `store`."""
