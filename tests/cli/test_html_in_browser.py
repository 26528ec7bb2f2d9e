"""The HTML dossier as a reader sees it: headless Chromium, offline, charts, no injection."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED, write_jsonl

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (.ci/run installs it)", allow_module_level=True)

EVIL = "<script>document.body.setAttribute('data-pwned','yes')</script> Clinic"


def render_in_chromium(page: Path, tmp_path: Path) -> str:
    assert CHROMIUM, "chromium is required in CI"
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_html_partnership_report_opens_offline_with_charts_and_escaped_names(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    diplo("import", str(SEED), "--store", store)
    evil = {
        "type": "OrganizationRegistered",
        "org": "evil",
        "name": EVIL,
        "country": "UZ",
        "kind": "hospital",
    }
    grant = {
        "type": "GrantAgreementSigned",
        "grant": "g-evil",
        "donor": "JP",
        "recipient": "evil",
        "purpose": "Equipment",
        "occurred_on": "2024-05",
        "amount": {"value": "91350", "currency": "USD"},
    }
    funded = {
        "type": "EquipmentFunded",
        "grant": "g-evil",
        "occurred_on": "2024-06",
        "items": [{"description": "Scanner", "quantity": 2}],
    }
    diplo("import", write_jsonl(tmp_path / "evil.jsonl", evil, grant, funded), "--store", store)
    page = tmp_path / "jp-uz.html"
    result = diplo(
        "report",
        "partnership",
        "JP",
        "UZ",
        "--format",
        "html",
        "--out",
        str(page),
        "--store",
        store,
    )
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing fetched
    assert "<script" not in html and "<link" not in html
    dom = render_in_chromium(page, tmp_path)
    assert "Partnership JP-UZ" in dom
    assert dom.count("<svg") >= 3  # activity per year, funding per currency, equipment
    assert "Activity per year by type" in dom and "Equipment by recipient" in dom
    assert "&lt;script&gt;document.body.setAttribute" in dom  # shown as text
    assert 'data-pwned="yes"' not in dom  # never run
    assert "Samarkand" in dom and "medical education" in dom
