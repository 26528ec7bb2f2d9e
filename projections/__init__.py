"""Projections: views derived from the log, disposable and rebuildable at any time."""
