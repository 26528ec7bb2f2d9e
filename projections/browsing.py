"""What Datasette adds to the views' descriptions: facets, default sorts and canned queries.

The queries answer what auditors ask first: which events cite no source, who corrected what,
and how much was granted per country pair and year.
"""

from __future__ import annotations

from typing import Any

FACETS: dict[str, tuple[str, ...]] = {
    "partnership_funding": ("currency",),
    "grants": ("status", "currency", "donor_country", "recipient_country", "sector"),
    "funded_equipment": ("source", "status", "recipient_country"),
    "deliveries": ("status", "pair"),
    "meetings": ("status",),
    "projects": ("status", "country", "financing"),
    "milestones": ("milestone", "status"),
    "cooperations": ("field", "status"),
    "commitments": ("by", "status"),
    "timeline": ("type", "status", "uncertain"),
    "sources": ("publisher", "language", "status"),
    "organizations": ("kind", "country"),
    "people": ("country", "org"),
    "programmes": ("donor", "sector"),
    "_pairs": ("kind", "status"),
    "_corrections": ("type", "recorded_by"),
}
SORT: dict[str, str] = {"timeline": "earliest", "_corrections": "position"}

UNSOURCED = """
SELECT * FROM (
  SELECT t.occurred_on, t.earliest, t.type, t.summary, t.key, t.status
  FROM timeline t
  WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.key = t.key)
  UNION ALL
  SELECT NULL, NULL, 'OrganizationRegistered', name, key, status FROM organizations r
  WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.key = r.key)
  UNION ALL
  SELECT NULL, NULL, 'PersonRegistered', name, key, status FROM people r
  WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.key = r.key)
  UNION ALL
  SELECT NULL, NULL, 'ProgrammeRegistered', name, key, status FROM programmes r
  WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.key = r.key)
)
ORDER BY earliest IS NULL, earliest, key
"""

CORRECTIONS_PER_PERSON = """
SELECT recorded_by, type, count(*) AS corrections,
       min(recorded_at) AS first_recorded_at, max(recorded_at) AS last_recorded_at
FROM _corrections
GROUP BY recorded_by, type
ORDER BY corrections DESC, recorded_by, type
"""

CORRECTIONS_BY = """
SELECT c.recorded_by, c.recorded_at, c.type, c.target, t.summary AS what, c.reason, c.changes,
       c.position
FROM _corrections c LEFT JOIN timeline t ON t.key = c.target
WHERE :recorded_by = '' OR c.recorded_by = :recorded_by
ORDER BY c.recorded_by, c.position
"""

# SQLite would add decimal strings as floats; whole thousandths are added as integers
# instead, exact for amounts of up to 15 digits with at most three decimals.
FUNDING = """
WITH amounts AS (
  SELECT g.pair, substr(t.earliest, 1, 4) AS year, g.currency,
         CAST(replace(printf('%.3f', g.value), '.', '') AS INTEGER) AS thousandths
  FROM grants g JOIN timeline t ON t.key = g.key
  WHERE g.status != 'retracted' AND g.value IS NOT NULL
), sums AS (
  SELECT pair, year, currency, count(*) AS grants, sum(thousandths) AS s
  FROM amounts GROUP BY pair, year, currency
)
SELECT pair, year, currency, grants,
       rtrim(rtrim(printf('%d.%03d', s / 1000, s % 1000), '0'), '.') AS total
FROM sums
WHERE :pair = '' OR pair = :pair
ORDER BY pair, year, currency
"""

QUERIES: dict[str, dict[str, Any]] = {
    "unsourced_events": {
        "title": "Events that cite no source",
        "description": "Activity (by date) and registrations that name no publisher at all: "
        "the first thing to check before relying on a record.",
        "sql": UNSOURCED.strip(),
    },
    "corrections_per_person": {
        "title": "Corrections and retractions per person",
        "description": "How many corrections and retractions each recorder made, and when.",
        "sql": CORRECTIONS_PER_PERSON.strip(),
    },
    "corrections_by_person": {
        "title": "Corrections made by one person",
        "description": "Every correction and retraction, with its reason and changes; leave "
        "recorded_by empty for everyone's.",
        "sql": CORRECTIONS_BY.strip(),
    },
    "funding_per_pair_and_year": {
        "title": "Grant funding per country pair and year",
        "description": "Exact totals per currency (currencies are never added together) of "
        "grants not retracted that state an amount, by the year they were signed (earliest day "
        "of a partial date); leave pair empty for every pair.",
        "sql": FUNDING.strip(),
    },
}
