"""The data files read commands use instead of the declarations, generated from them.

``diplo.events.declared`` (each type's schema version and JSON Schema) and
``diplo.projections.fingerprint`` (the views' layout and pair kinds) read files written here:
``python -m diplo.cli.generated`` rewrites both, and ``tests/test_generated.py`` checks that
the committed files are what this module generates now.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from diplo.events import declared
from diplo.projections import fingerprint


def declared_data() -> dict[str, Any]:
    """Every type's schema version and JSON Schema, in catalog order."""
    from diplo.events.declaration import declarations

    return {
        "types": {
            name: {"version": d.model.SCHEMA_VERSION, "schema": d.model.model_json_schema()}
            for name, d in declarations().items()
        }
    }


def versions_data() -> dict[str, int]:
    """Every type's schema version alone, in catalog order."""
    return {name: entry["version"] for name, entry in declared_data()["types"].items()}


def views_data() -> dict[str, Any]:
    """The layout fingerprint of the views, their migrations, and the kinds of activity a
    pair counts."""
    from diplo.projections.tables import PAIR_KINDS
    from diplo.projections.views import layout, migrations

    names = [migration.name for migration in migrations._migrations]
    return {"layout": layout(), "migrations": names, "pair_kinds": PAIR_KINDS}


def text(data: dict[str, Any]) -> bytes:
    """The bytes committed for ``data``: sorted where order does not matter, indented."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def files() -> dict[Path, bytes]:
    """Each generated file and what it should hold."""
    return {
        declared.FILE: text(declared_data()),
        declared.VERSIONS: text(versions_data()),
        fingerprint.FILE: text(views_data()),
    }


if __name__ == "__main__":
    for path, content in files().items():
        path.write_bytes(content)
        print(f"wrote {path}")
