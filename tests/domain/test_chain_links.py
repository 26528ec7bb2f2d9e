"""A recorder links each new row into the hash chain with ``chain.new_link``: the same link,
byte for byte, as the general ``event_link`` (which verify's reading of the chain rests on),
for any row a recorder may write, ASCII or not."""

from __future__ import annotations

from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from diplo.domain.integrity import chain
from diplo.domain.store.interface import KeyedStoredEvent

texts = st.text(min_size=1, max_size=40)


@given(
    previous=st.binary(min_size=32, max_size=32),
    position=st.integers(1, 10**12),
    stream=st.uuids(),
    version=st.integers(1, 10**6),
    topic=texts,
    key=texts,
    content=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    state=st.binary(max_size=300),
)
def test_a_new_row_is_linked_as_the_chain_links_any_row(
    previous: bytes,
    position: int,
    stream: UUID,
    version: int,
    topic: str,
    key: str,
    content: str,
    state: bytes,
) -> None:
    row = KeyedStoredEvent(
        originator_id=stream,
        originator_version=version,
        topic=topic,
        state=state,
        key=key,
        content_hash=content,
    )
    expected = chain.event_link(previous, position, row)
    linked = chain.new_link(previous, position, stream.hex, version, topic, key, content, state)
    assert linked == expected
