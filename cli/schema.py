"""`diplo schema [TYPE]`: the JSON Schema of the catalog, for clerks and for tools."""

from __future__ import annotations

from typing import Annotated

import typer

from diplo.cli.common import print_json, refusals

app = typer.Typer()


@app.command()
def schema(
    type_name: Annotated[
        str | None, typer.Argument(metavar="[TYPE]", help="One event type.")
    ] = None,
) -> None:
    """Print the JSON Schema of one event type, or of every line an import file may hold."""
    from diplo.events.catalog import CATALOG, model_for

    with refusals():
        if type_name:
            model = model_for(type_name)
            document = model.model_json_schema()
            document["x-schema-version"] = model.SCHEMA_VERSION
            document |= codes_of(type_name)
        else:
            document = _catalog_schema(CATALOG)
            for name, definition in document["$defs"].items():
                definition |= codes_of(name)
    print_json(document)


def codes_of(type_name: str) -> dict[str, str]:
    """The field's codes of a type (DESIGN.md, "Codes"): x-cameo, x-plover, x-iati-…"""
    from diplo.events.cameo import plover_of
    from diplo.events.declaration import declaration_of

    declaration = declaration_of(type_name)
    if declaration is None:
        return {}
    codes = declaration.codes
    found = {
        "x-cameo": codes.cameo,
        "x-plover": plover_of(codes.cameo),
        "x-iati-transaction-type": codes.iati_transaction_type,
        "x-iati-finance-type": codes.iati_finance_type,
    }
    return {name: value for name, value in found.items() if value}


def _catalog_schema(catalog: dict) -> dict:  # type: ignore[type-arg]
    from typing import Annotated, Any, Union

    from pydantic import Field, TypeAdapter

    # a union built at run time from the catalog: the type checker sees only Any
    members: Any = Union[tuple(catalog.values())]  # noqa: UP007
    union: Any = Annotated[members, Field(discriminator="type")]
    document = TypeAdapter(union).json_schema()
    document["title"] = "diplo import line"
    document["x-schema-versions"] = {name: m.SCHEMA_VERSION for name, m in catalog.items()}
    return document
