"""Hole 1: the key was outside the hash. Swapping or editing the key or content-hash columns
passed `verify` (even against a signed checkpoint), after which `show`, `prove` and `correct`
resolved the wrong event. Now every column that names an event is under the leaf hash (v2),
and rows written with the old leaf (v1) are checked against their hashed state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from diplo.domain.integrity import chain
from tests.conftest import verify_old
from tests.redteam.conftest import one_line_error, rechain, swap

GRANT_KEY = "uza-676233/project/samarkand-clinic"  # position 21 of the seed


def sealed(diplo: Any, store: str, tmp_path: Path) -> str:
    checkpoint = str(tmp_path / "checkpoint")
    assert diplo("seal", "--out", checkpoint, "--store", store).exit_code == 0
    return checkpoint


@pytest.mark.parametrize("column", ["key", "content_hash"])
def test_swapping_a_column_of_two_rows_is_caught_and_named(
    diplo: Any, seeded: str, tmp_path: Path, column: str
) -> None:
    checkpoint = sealed(diplo, seeded, tmp_path)
    swap(seeded, column, 3, 5)
    for extra in ([], ["--checkpoint", checkpoint]):
        message = one_line_error(diplo("verify", "--store", seeded, *extra))
        assert "position 3:" in message


def test_a_swapped_key_is_named_as_a_relabelled_row(diplo: Any, seeded: str) -> None:
    first, second = swap(seeded, "key", 3, 5)
    message = one_line_error(diplo("verify", "--store", seeded))
    assert f"key column says {second!r} but the stored event is {first!r}" in message


def test_show_refuses_a_key_that_labels_another_event(diplo: Any, seeded: str) -> None:
    first, second = swap(seeded, "key", 3, 5)
    message = one_line_error(diplo("show", second, "--store", seeded))
    assert f"the key {second!r} labels the stored event {first!r}" in message


def test_prove_refuses_a_key_that_labels_another_event(diplo: Any, seeded: str) -> None:
    _, second = swap(seeded, "key", 3, 5)
    assert "position 3:" in one_line_error(diplo("prove", second, "--store", seeded))


def test_a_correction_cannot_target_an_event_through_a_swapped_key(diplo: Any, seeded: str) -> None:
    _, second = swap(seeded, "key", 20, 21)
    result = diplo("retract", second, "--reason", "wrong", "--store", seeded)
    assert "labels the stored event" in one_line_error(result)


def test_a_forger_who_swaps_keys_and_recomputes_the_chain_is_caught_by_the_seal(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    checkpoint = sealed(diplo, seeded, tmp_path)
    swap(seeded, "key", 3, 5)
    rechain(seeded)  # the chain alone now agrees with the forged keys
    assert diplo("verify", "--store", seeded).exit_code == 0
    message = one_line_error(diplo("verify", "--store", seeded, "--checkpoint", checkpoint))
    assert "no longer match the checkpoint" in message


def test_a_forger_who_downgrades_rows_to_the_old_leaf_to_hide_a_swap_is_caught(
    diplo: Any, seeded: str
) -> None:
    """The v1 leaf does not hold the key: rewriting the chain with v1 leaves would put the
    key outside the hash again, but v1 rows must agree with the key inside their state."""
    swap(seeded, "key", 3, 5)
    rechain(seeded, lambda position: chain.V1)
    message = one_line_error(diplo("verify", "--store", seeded))
    assert "position 3: its key or content-hash column is not the stored event's" in message


def test_an_old_row_after_new_rows_is_a_break(diplo: Any, seeded: str) -> None:
    rechain(seeded, lambda position: chain.V1 if position >= 10 else chain.V2)
    assert "position 10:" in one_line_error(diplo("verify", "--store", seeded))


@pytest.mark.parametrize("column", ["key", "content_hash"])
def test_swapping_a_column_of_two_rows_written_by_diplo_0_1_is_caught(
    diplo: Any, old_ledger: str, column: str
) -> None:
    swap(old_ledger, column, 4, 9)
    result = verify_old(diplo, old_ledger)
    assert "position 4: its key or content-hash column" in one_line_error(result)


def test_an_old_ledger_keeps_its_old_rows_and_writes_new_ones_under_the_new_leaf(
    diplo: Any, old_ledger: str, tmp_path: Path
) -> None:
    recorded = diplo("retract", GRANT_KEY, "--reason", "test", "--store", old_ledger)
    assert recorded.exit_code == 0, recorded.output
    copy = str(tmp_path / "copy.db")
    assert diplo("migrate", "--from", old_ledger, "--to", copy).exit_code == 0
    for store in (old_ledger, copy):
        result = verify_old(diplo, store, old_ledger)
        assert result.exit_code == 0, result.output
        assert "positions 1–26 use the diplo 0.1 leaf" in " ".join(result.stdout.split())
    swap(copy, "key", 27, 3)  # the new row (27) is v2: its key is under the chain
    assert "position 3:" in one_line_error(diplo("verify", "--store", copy))


def test_on_postgresql_old_rows_stay_old_and_a_swapped_key_is_caught(
    diplo: Any, old_ledger: str, pg_store: str
) -> None:
    import psycopg

    from diplo.domain.store.postgres import TABLE

    folder = Path(old_ledger).parent
    assert diplo("migrate", "--from", old_ledger, "--to", pg_store).exit_code == 0
    views = ("--views", str(folder / "pg.views.db"))
    retracted = diplo("retract", GRANT_KEY, "--reason", "test", "--store", pg_store, *views)
    assert retracted.exit_code == 0, retracted.output
    pinned = ("--public-key", str(folder / "seal-key.pub"))
    checkpoint = ("--checkpoint", str(folder / "checkpoint.json"))
    result = diplo("verify", "--store", pg_store, *checkpoint, *pinned)
    assert result.exit_code == 0, result.output
    server, schema = pg_store.split("?schema=")
    with psycopg.connect(server, autocommit=True) as conn:
        table = f'"{schema}".{TABLE}'
        conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        keys: dict[int, str] = dict(
            conn.execute(f"SELECT notification_id, key FROM {table}").fetchall()
        )
        for position, key in ((27, "placeholder"), (3, keys[27]), (27, keys[3])):
            conn.execute(f"UPDATE {table} SET key = %s WHERE notification_id = %s", (key, position))
    message = one_line_error(diplo("verify", "--store", pg_store))
    assert "position 3: its key or content-hash column" in message  # a v1 row, relabelled
