"""Interop benchmark: IATI export and import of N events, as ratios to the XML library alone.

Export: the ledger's current events → activities → IATI XML, against serialising the same
document with xml.etree alone. Import: an IATI file of N events (the real DFID Albania file,
its activities repeated under new identifiers) → checked diplo facts, against parsing the same
file with defusedxml alone; recording those facts in a new SQLite ledger is timed beside.
Usage: python -m bench.bench_interop 2000 100000
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import TypeVar
from xml.etree.ElementTree import ElementTree, indent

from defusedxml.ElementTree import parse as defused_parse

from bench.fixtures import ledger_file
from diplo.domain.store.opening import open_ledger
from diplo.events.iati_import import iati_facts
from diplo.events.iati_xml import read_xml
from diplo.projections.interop.activities import gather
from diplo.projections.interop.cameo import cameo_tsv
from diplo.projections.interop.current import current_events, stored_events
from diplo.projections.interop.iati import ReportingOrg, iati_document, write_iati

T = TypeVar("T")
DFID = Path(__file__).parents[2] / "shared" / "iati" / "real" / "dfid-gb-1-albania-2.01.xml"
ORG = ReportingOrg("XX-DIPLO-BENCH", "bench")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def export(events: int) -> None:
    ledger = open_ledger(ledger_file(events))
    reading, log = timed(lambda: list(stored_events(ledger)))
    ledger.close()

    def whole() -> bytes:
        out = BytesIO()
        write_iati(gather(current_events(log)), ORG, out)
        return out.getvalue()

    seconds, xml = timed(whole)
    root = iati_document(gather(current_events(log)), ORG)
    indent(root)
    baseline, _ = timed(lambda: ElementTree(root).write(BytesIO(), encoding="utf-8"))
    cameo, _ = timed(lambda: sum(1 for _ in cameo_tsv(current_events(log))))
    print(
        f"{events:>9,} events  export iati {seconds:6.2f} s ({len(xml) / 2**20:5.1f} MB)"
        f"  xml.etree write alone {baseline:5.2f} s  ratio {seconds / baseline:5.1f}x"
        f"  | cameo rows {cameo:5.2f} s | reading the log {reading:5.2f} s"
    )


def iati_file(events: int, folder: str) -> tuple[str, int]:
    """DFID Albania's activities repeated under new identifiers until ``events`` facts."""
    text = DFID.read_text(encoding="utf-8")
    head, _, rest = text.partition("<iati-activity ")
    body, _, tail = rest.rpartition("</iati-activity>")
    activity = "<iati-activity " + body + "</iati-activity>"
    per_copy = len(iati_facts(read_xml(str(DFID))).facts) - 1  # the funder is registered once
    copies = max(1, events // per_copy)
    parts = [
        activity.replace("<iati-identifier>GB-1-", f"<iati-identifier>GB-1-{n}-")
        for n in range(copies)
    ]
    path = str(Path(folder) / "iati.xml")
    Path(path).write_text(head + "\n".join(parts) + tail, encoding="utf-8")
    return path, copies * per_copy + 1


def import_(events: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path, facts = iati_file(events, folder)
        # beyond 64 MB (about 60,000 events) diplo import asks for the file to be split; the
        # bench lifts the limit to time one file of any size
        seconds, found = timed(lambda: iati_facts(read_xml(path, max_bytes=2**31)))
        baseline, _ = timed(lambda: defused_parse(path))
        store = str(Path(folder) / "ledger.db")
        ledger = open_ledger(store, create=True)
        recording, _ = timed(lambda: ledger.record(found.facts, recorded_by="bench"))
        ledger.close()
    print(
        f"{facts:>9,} events  import iati {seconds:6.2f} s  defusedxml parse alone "
        f"{baseline:5.2f} s  ratio {seconds / baseline:5.1f}x  | recording them {recording:6.2f} s"
    )


if __name__ == "__main__":
    for count in [int(arg) for arg in sys.argv[1:]] or [2000]:
        export(count)
        import_(count)
