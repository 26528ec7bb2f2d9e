"""The data read commands use instead of the declarations is what the declarations say now."""

from __future__ import annotations

from diplo.cli.generated import files
from diplo.events import declared
from diplo.events.declaration import declarations
from diplo.projections import fingerprint
from diplo.projections.tables import PAIR_KINDS
from diplo.projections.views import layout, migrations


def test_the_committed_files_are_the_generated_ones() -> None:
    for path, content in files().items():
        assert path.read_bytes() == content, "regenerate: python -m diplo.cli.generated"


def test_declared_data_agrees_with_the_declarations() -> None:
    assert declared.type_names() == list(declarations())
    for name, declaration in declarations().items():
        assert declared.schema_version(name) == declaration.model.SCHEMA_VERSION
        assert declared.declared()["types"][name]["version"] == declaration.model.SCHEMA_VERSION
        assert declared.json_schema(name) == declaration.model.model_json_schema()
    assert declared.json_schema("NoSuchType") is None


def test_the_views_fingerprint_agrees_with_the_views() -> None:
    assert fingerprint.views_layout() == layout()
    assert fingerprint.pair_kinds() == PAIR_KINDS
    assert fingerprint.views_migrations() == [m.name for m in migrations._migrations]
