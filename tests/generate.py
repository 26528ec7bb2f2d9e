"""Generate a realistic, valid mix of N events as JSON Lines (deterministic for a seed).

Mix per 100 events, roughly: 6 registrations, 12 meetings, 20 grants, 20 fundings, 10 deliveries,
6 clinics, 8 milestones, 6 cooperations, 12 commitments, 3 corrections, no retraction (the
benchmarks' ledgers are built from this mix; tests that need retractions add their own).
Used by the tests and the benchmarks. Usage: python -m tests.generate N > events.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from typing import Any

COUNTRIES = ["JP", "UZ", "KZ", "KG", "TJ", "TM", "DE", "FR", "KR", "CN", "US", "TR", "IN", "GB"]
CURRENCIES = ["JPY", "USD", "EUR", "UZS", "KRW"]
SOURCE = {"publisher": "Bench Wire", "title": "Generated report", "language": "en"}


def generate(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    orgs: list[str] = []
    grants: list[str] = []
    projects: dict[str, int] = {}
    keys: list[str] = []
    for i in range(n):
        if len(orgs) < 4 or rng.random() < 0.06:
            body = _org(i, rng)
            orgs.append(body["org"])
        else:
            body = _activity(i, rng, orgs, grants, projects, keys)
        body["key"] = f"bench-{i}"
        keys.append(body["key"])
        yield body


def _org(i: int, rng: random.Random) -> dict[str, Any]:
    return {
        "type": "OrganizationRegistered",
        "org": f"org-{i}",
        "name": f"Organisation {i}",
        "country": rng.choice(COUNTRIES),
        "kind": rng.choice(["ministry", "hospital", "agency"]),
        "sources": [SOURCE],
    }


def _activity(
    i: int,
    rng: random.Random,
    orgs: list[str],
    grants: list[str],
    projects: dict[str, int],
    keys: list[str],
) -> dict[str, Any]:
    when = f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}"
    roll = rng.random()
    base = {"occurred_on": when, "sources": [SOURCE]}
    if roll < 0.13:
        return base | {
            "type": "MeetingHeld",
            "meeting": f"meeting-{i}",
            "countries": rng.sample(COUNTRIES, 2),
            "participants": rng.sample(orgs, 2),
            "topics": ["health"],
            "summary": f"Meeting number {i}",
        }
    if roll < 0.35:
        grants.append(f"grant-{i}")
        return base | {
            "type": "GrantAgreementSigned",
            "grant": f"grant-{i}",
            "donor": rng.choice(COUNTRIES),
            "recipient": rng.choice(orgs),
            "purpose": f"Equipment for project {i}",
            "sector": "12191",
            "amount": {
                "value": str(rng.randint(10_000, 90_000_000)),
                "currency": rng.choice(CURRENCIES),
            },
        }
    if roll < 0.55 and grants:
        return base | {
            "type": "EquipmentFunded",
            "grant": rng.choice(grants),
            "items": [
                {
                    "description": f"Scanner model {i}",
                    "quantity": rng.randint(1, 9),
                    "value": {"value": str(rng.randint(100, 99_999)), "currency": "USD"},
                }
            ],
        }
    if roll < 0.65:
        return base | {
            "type": "EquipmentDelivered",
            "delivery": f"delivery-{i}",
            "donor": rng.choice(COUNTRIES),
            "recipient": rng.choice(orgs),
            "items": [{"description": f"Container {i}", "quantity": 1}],
        }
    if roll < 0.71:
        projects[f"project-{i}"] = 0
        return base | {
            "type": "ClinicPlanned",
            "project": f"project-{i}",
            "name": f"Clinic {i}",
            "country": "UZ",
            "region": "UZ-SA",
            "beds": rng.randint(20, 900),
            "partners": rng.sample(orgs, 1),
            "financing": "ppp",
        }
    if roll < 0.79 and projects:
        project = rng.choice(list(projects))
        steps = ["construction-started", "completed", "opened"]
        if projects[project] < len(steps):
            projects[project] += 1
            return base | {
                "type": "ProjectMilestoneReached",
                "project": project,
                "milestone": steps[projects[project] - 1],
            }
    if roll < 0.85:
        return base | {
            "type": "CooperationEstablished",
            "cooperation": f"cooperation-{i}",
            "parties": rng.sample(COUNTRIES, 2),
            "field": "medical education",
        }
    if roll < 0.93 or not keys:
        return base | {
            "type": "CommitmentStated",
            "by": rng.choice(COUNTRIES),
            "statement": f"We will continue, statement {i}",
        }
    if roll < 0.96 and grants:
        return {
            "type": "EventCorrected",
            "target": f"bench-{_grant_key(grants, rng)}",
            "changes": {"purpose": f"Corrected purpose {i}"},
            "reason": "misread",
        }
    return base | {
        "type": "CommitmentStated",
        "by": rng.choice(COUNTRIES),
        "statement": f"Statement {i}",
    }


def _grant_key(grants: list[str], rng: random.Random) -> str:
    return rng.choice(grants).removeprefix("grant-")


if __name__ == "__main__":
    for event in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000):
        sys.stdout.write(json.dumps(event) + "\n")
