"""diplo installs as ONE top-level package, so no other distribution can overwrite its parts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_the_wheel_holds_only_the_diplo_package_with_its_data(tmp_path: Path) -> None:
    # from a clean copy: an in-tree build/ left by an earlier build would hide what is missing
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info"))
    out = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("diplo-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.startswith("diplo-")}
    assert tops == {"diplo"}
    assert "diplo/py.typed" in names
    missing = sorted(set(_shipped_sources()) - set(names))
    assert missing == [], "files of the source folders that the wheel leaves out"


def _shipped_sources() -> list[str]:
    """Every module, template and data file of the five source folders, as the wheel names it."""
    found = []
    for folder in ("events", "domain", "projections", "cli", "examples"):
        for path in (ROOT / folder).rglob("*"):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            if path.suffix in (".py", ".j2", ".tsv", ".jsonl", ".xsd", ".csv", ".xml", ".json"):
                found.append(f"diplo/{path.relative_to(ROOT).as_posix()}")
    return found


def test_the_folders_are_importable_only_under_diplo() -> None:
    code = (
        "import importlib.util as u, diplo.events, diplo.domain, diplo.projections, diplo.cli;"
        "print([n for n in ('events','domain','projections','cli') if u.find_spec(n)])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd="/", capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
