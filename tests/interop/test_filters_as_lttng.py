# SPDX-License-Identifier: MIT
"""Filters under the real LTTng 2.13 and under ringtrace: the same program
(filterfields), the same table of filters (tests/filter_table.py), one
channel per filter; each filter must record the same events, except where
lttng-ust reads past the end of a sequence (LTTNG_DIFFERENT)."""
import pytest

from filter_table import LTTNG_DIFFERENT, TABLE, by_channel, lttng_table_script, trace_table_rt
from lttng_run import lttng_available, lttng_build, trace_with_lttng

pytestmark = pytest.mark.skipif(lttng_available() is not None,
                                reason=lttng_available() or "")


def test_filters_record_what_lttng_records(rt, tmp_path):
    app = lttng_build("tests/interop/filterfields-lttng")
    lttng_trace = trace_with_lttng(tmp_path, "", [app], setup=lttng_table_script(TABLE))
    theirs = by_channel(lttng_trace, TABLE)
    mine = trace_table_rt(rt, tmp_path / "ours", TABLE)
    assert any(theirs.values()), "lttng recorded nothing"
    wrong = {flt: (mine[flt], theirs[flt]) for flt, _ in TABLE
             if theirs[flt] != LTTNG_DIFFERENT.get(flt, mine[flt])}
    assert not wrong, "filter: (ringtrace, lttng)\n" + "\n".join(
        f"{k}: {v}" for k, v in wrong.items())
    # The differences are only where documented.
    for flt, lttng_set in LTTNG_DIFFERENT.items():
        assert mine[flt] != lttng_set
