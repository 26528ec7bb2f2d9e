"""Chart labels stay inside their chart."""

from __future__ import annotations

import re

from diplo.projections.charts import Chart
from diplo.projections.svg import WIDTH, draw


def test_a_column_total_at_the_right_edge_ends_at_the_edge_instead_of_crossing_it() -> None:
    chart = Chart("Grant funding", "years", ["1961", "2020"], {"GrantAgreementSigned": [1, 3.5e8]})
    labels = re.findall(
        r'<text x="([0-9.]+)" [^>]*text-anchor="(\w+)" class="value">([^<]+)<', draw(chart)
    )
    assert ("1", "middle") in {(text, anchor) for _, anchor, text in labels}
    edge = [(float(x), anchor) for x, anchor, text in labels if text == "350,000,000"]
    assert edge == [(WIDTH - 2, "end")]
