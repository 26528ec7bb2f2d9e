"""The error-level rules of the IATI Standard Ruleset (2.03), evaluated on an activity file.

The ruleset (shipped in ``diplo/events/data/iati/``) states each rule as XPath over a context;
this evaluates the kinds of rule that have error-level cases for activities, with elementpath
(xmlschema's XPath engine), as the IATI validator does. Organisation-file rules do not apply.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from importlib.resources import files
from typing import Any
from xml.etree.ElementTree import Element, ElementTree

import elementpath

NS = {"xml": "http://www.w3.org/XML/1998/namespace"}
# What "all" means in the one_or_all rules: the elements that would each need the value.
ALL_MISSING = {
    "lang": ".//narrative[not(@xml:lang)]",
    "currency": ".//value[not(@currency)]",
    "sector": "transaction[not(sector)]",
}


def ruleset() -> dict[str, Any]:
    text = files("diplo.events").joinpath("data/iati/ruleset-standard-2.03.json").read_text()
    return json.loads(text)  # type: ignore[no-any-return]


def broken_rules(tree: ElementTree, today: date) -> list[str]:
    """``rule id: message (context)`` for every error-level case that fails."""
    found = []
    for context_paths, rules in ruleset().items():
        for context_path in (p.strip() for p in context_paths.split("|")):
            if not context_path.startswith(("/iati-activities", "//")):
                continue
            for context in _select(tree, context_path):
                for kind, body in rules.items():
                    for case in body.get("cases", []):
                        info = case.get("ruleInfo", {})
                        if info.get("severity") == "error" and not _holds(
                            kind, case, context, today
                        ):
                            found.append(f"{info['id']}: {info['message']} ({context_path})")
    return found


def _select(node: Any, path: str) -> list[Any]:
    result = elementpath.select(node, path, namespaces=NS)
    return result if isinstance(result, list) else [result]


def _true(node: Element, path: str) -> bool:
    return bool(elementpath.select(node, f"boolean({path})", namespaces=NS))


def _dates(node: Element, path: str, today: date) -> list[date]:
    if path == "NOW":
        return [today]
    return [date.fromisoformat(str(v)[:10]) for v in _select(node, path)]


def _holds(kind: str, case: dict[str, Any], node: Element, today: date) -> bool:
    if "condition" in case and not _true(node, case["condition"]):
        return True
    return all(_checks(kind, case, node, today))


def _checks(kind: str, case: dict[str, Any], node: Element, today: date) -> Iterator[bool]:
    paths = case.get("paths", [])
    if kind == "atleast_one":
        yield any(_select(node, p) for p in paths)
    elif kind == "one_or_all":
        yield bool(_select(node, case["one"])) or not _select(node, ALL_MISSING[case["all"]])
    elif kind == "unique":
        values = [str(v) for p in paths for v in _select(node, p)]
        yield len(values) == len(set(values))
    elif kind == "no_more_than_one":
        yield sum(len(_select(node, p)) for p in paths) <= 1
    elif kind == "date_now":
        yield all(
            datetime.fromisoformat(str(v)).date() <= today for v in _select(node, case["date"])
        )
    elif kind == "date_order":
        for less in _dates(node, case["less"], today):
            yield all(less <= more for more in _dates(node, case["more"], today))
    elif kind == "time_limit":
        for start in _dates(node, case["start"], today):
            yield all((end - start).days <= 365 for end in _dates(node, case["end"], today))
    elif kind == "range":
        values = [float(v) for p in paths for v in _select(node, p)]
        yield all(case["min"] <= v <= case["max"] for v in values)
    elif kind == "strict_sum":
        yield sum(float(v) for p in paths for v in _select(node, p)) == case["sum"]
    elif kind == "if_then":
        yield not _true(node, case["if"]) or _true(node, case["then"])
    else:
        raise NotImplementedError(f"rule kind {kind} has error-level cases: evaluate it")
