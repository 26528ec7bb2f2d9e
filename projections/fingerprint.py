"""What the views of this version of diplo look like, kept as data: the layout fingerprint
(``views.layout()``), the migrations applied to them, and the kinds of activity a country
pair counts (``tables.PAIR_KINDS``).

They are computed from the declarations (and the views' migrations), which import pydantic
and build every model; a read that finds the views current needs neither.
``data/views.json`` is generated (``python -m diplo.cli.generated``) and a test regenerates
it and compares.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

FILE = Path(__file__).with_name("data") / "views.json"


@cache
def _generated() -> dict[str, Any]:
    return dict(orjson.loads(FILE.read_bytes()))


def views_layout() -> str:
    """``views.layout()``: the fingerprint a current views file holds in ``_layout``."""
    return str(_generated()["layout"])


def views_migrations() -> list[str]:
    """The names of the views' migrations (``views.migrations``), all applied to a current file."""
    return list(_generated()["migrations"])


def pair_kinds() -> dict[str, str]:
    """``tables.PAIR_KINDS``: each kind of activity a pair counts, and its description."""
    return dict(_generated()["pair_kinds"])
