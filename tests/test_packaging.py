"""diplo installs as ONE top-level package, so no other distribution can overwrite its parts."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_the_wheel_holds_only_the_diplo_package_with_its_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("diplo-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.startswith("diplo-")}
    assert tops == {"diplo"}
    for expected in (
        "diplo/py.typed",
        "diplo/events/catalog.py",
        "diplo/events/types/grants.py",  # every type is declared in this subpackage
        "diplo/events/data/crs-sectors.tsv",  # read at run time: sectors are checked against it
        "diplo/events/data/cameo-plover.tsv",
        "diplo/events/data/iati/iati-activities-schema.xsd",
        "diplo/events/data/iati/xml.xsd",
        "diplo/events/data/iati/codelist-TransactionType.xml",
        "diplo/projections/interop/cameo.py",
        "diplo/domain/app/ledger.py",
        "diplo/projections/templates/report.html.j2",
        "diplo/examples/japan-uzbekistan-health.jsonl",
        "diplo/cli/main.py",
    ):
        assert expected in names


def test_the_folders_are_importable_only_under_diplo() -> None:
    code = (
        "import importlib.util as u, diplo.events, diplo.domain, diplo.projections, diplo.cli;"
        "print([n for n in ('events','domain','projections','cli') if u.find_spec(n)])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd="/", capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
