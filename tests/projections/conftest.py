"""Fixtures of the projections' tests."""

from __future__ import annotations

import pytest

from diplo.projections.runner import views_path


@pytest.fixture
def views(store: str) -> str:
    """Where the views of the test's store live."""
    return views_path(store)
