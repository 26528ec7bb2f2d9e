"""Stream ids are uuid5 of a kind and a slug in diplo's namespace, in every store and every
version: worked out without the uuid module's objects on an import's hot path, they must be
the same numbers."""

from __future__ import annotations

from uuid import uuid5

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diplo.domain.model.ids import NAMESPACE, number_uuid, stream_id, stream_number

kinds = st.sampled_from(["org", "person", "grant", "loan", "project", "meeting", "programme"])


@given(kinds, st.text(min_size=1, max_size=80))
def test_a_stream_number_is_the_uuid5_of_its_kind_and_slug(kind: str, slug: str) -> None:
    try:
        expected = uuid5(NAMESPACE, f"{kind}:{slug}")
    except UnicodeEncodeError:  # a lone surrogate (no slug can hold one): refused alike
        with pytest.raises(UnicodeEncodeError):
            stream_number(kind, slug)
        return
    assert stream_number(kind, slug) == expected.int
    assert stream_id(kind, slug) == expected
    assert stream_id(kind, slug).hex == expected.hex and str(stream_id(kind, slug)) == str(expected)
    assert hash(number_uuid(expected.int)) == hash(expected)
