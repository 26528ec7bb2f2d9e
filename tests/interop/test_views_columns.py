"""The views carry the field's codes as columns, ready for Datasette and a spreadsheet: the
timeline its CAMEO code, grants, loans and projects the identifier of their IATI activity."""

from __future__ import annotations

import sqlite3
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import parse

from tests.conftest import GRANT, ORG, write_jsonl


def test_views_rows_carry_the_cameo_code_and_the_exported_iati_identifier(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    clinic = {
        "type": "ClinicPlanned",
        "project": "p1",
        "name": "Clinic",
        "country": "UZ",
        "financing": "grant",
        "occurred_on": "2024",
    }
    diplo("import", write_jsonl(tmp_path / "a.jsonl", ORG, GRANT, clinic), "--store", store)
    views = sqlite3.connect(Path(store).with_suffix(".views.db"))
    timeline = views.execute("SELECT type, cameo FROM timeline ORDER BY position").fetchall()
    assert timeline == [("GrantAgreementSigned", "057"), ("ClinicPlanned", "061")]
    (grant_id,) = views.execute("SELECT iati_identifier FROM grants").fetchone()
    (project_id,) = views.execute("SELECT iati_identifier FROM projects").fetchone()
    exported = diplo("export", "--format", "iati", "--store", store).stdout_bytes
    identifiers = [e.text for e in parse(BytesIO(exported)).getroot().iter("iati-identifier")]
    assert identifiers == [grant_id, project_id]
    assert grant_id.endswith("-grant-g1") and project_id.endswith("-project-p1")
