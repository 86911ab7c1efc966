"""``ledger.position.conversion_quotes``: many notices priced on the deal's state in one ledger
pass (``price --notices --events``), each as :func:`conversion_quote` prices it alone."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascent_xl.errors import AscentError, LedgerError
from ascent_xl.events import events_from_csv
from ascent_xl.ledger.position import conversion_quote, conversion_quotes
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market

EVENTS = str(data_path(SAMPLE_EVENTS))


def test_each_row_is_the_single_notice_on_the_deals_state():
    events = events_from_csv(EVENTS)
    market = sample_market()
    asked = [(dt.date(2023, 3, 14), 600_000.0, "Registered"), (dt.date(2023, 3, 28), 400_000.0, None),
             (dt.date(2024, 3, 28), None, "Private")]
    many = conversion_quotes(ASTI_2022, market, events, notices=asked)
    for (day, amount, note), (q, state) in zip(asked, many, strict=True):
        one, alone = conversion_quote(ASTI_2022, market, events, notice_date=day, amount=amount, note=note)
        assert q == one
        assert state.shares_outstanding == alone.shares_outstanding
    assert many[0][0].capped and many[0][0].principal_converted == 258_148.27  # the cap cuts 600,000


def test_the_ledger_names_the_notice_it_could_not_price():
    with pytest.raises(LedgerError, match=r"^log line 9: amount \$99,000,000.00 converts more than note Registered"):
        conversion_quotes(ASTI_2022, sample_market(), events_from_csv(EVENTS),
                          notices=[(dt.date(2023, 1, 10), 99e6, None)], names=["log line 9"])


_SAMPLE_DAYS = [d for d in sample_market().dates.astype(dt.date).tolist()
                if dt.date(2022, 12, 19) <= d <= dt.date(2024, 6, 10)]


@given(rows=st.lists(st.tuples(st.sampled_from(_SAMPLE_DAYS),
                               st.one_of(st.none(), st.integers(1, 3_000_000).map(float)),
                               st.sampled_from([None, "Registered", "Private", "Registered-PIK1"])),
                     min_size=1, max_size=5))
@settings(max_examples=40, deadline=None, derandomize=True, database=None)
def test_one_pass_over_many_notices_is_each_notice_priced_alone(rows):
    """The batch's single ledger pass (stops in date order, the file's order kept) gives, row by
    row, what a fresh ledger run to each notice date gives, or the same refusal."""
    events = _EVENTS
    market = sample_market()

    def alone(day, amount, note):
        try:
            return conversion_quote(ASTI_2022, market, events, notice_date=day, amount=amount, note=note)[0]
        except AscentError as exc:
            return str(exc)

    expected = [alone(*r) for r in rows]
    refused = [i for i, e in enumerate(expected) if isinstance(e, str)]
    names = [f"row {i}" for i in range(len(rows))]
    if refused:
        first = min(refused, key=lambda i: (rows[i][0], i))  # the pass meets the earliest first
        with pytest.raises(AscentError) as info:
            conversion_quotes(ASTI_2022, market, events, notices=rows, names=names)
        assert str(info.value).startswith("row ")
        k = int(str(info.value).split(":")[0].split()[1])
        assert k == first and str(info.value) == f"row {k}: {expected[k]}"
        return
    got = conversion_quotes(ASTI_2022, market, events, notices=rows, names=names)
    assert [q for q, _ in got] == expected


_EVENTS = events_from_csv(EVENTS)


def test_a_window_across_a_split_the_events_do_not_give_is_refused_unless_no_split():
    # the sample VWAPs jump x199 on 2023-09-12 (the 1:200 reverse split); without its Split row
    # a notice of 2023-09-20, whose 10-day window crosses the jump, is refused, naming it by its
    # place in the list (no names given); with no_split the move is taken as real
    events = [e for e in _EVENTS if e.kind.value != "Split"]
    notices = [(dt.date(2023, 3, 1), 100_000.0, None), (dt.date(2023, 9, 20), 10_000.0, None)]
    with pytest.raises(LedgerError, match=r"^notice 2: notice date 2023-09-20: the VWAP jumps from \$0.0561 on "
                                          r"2023-09-11 to \$11.1688 on 2023-09-12"):
        conversion_quotes(ASTI_2022, sample_market(), events, notices=notices)
    # the pass itself runs with no_split: past the conversion of 2023-10-02, which it applies
    later = [*notices, (dt.date(2023, 10, 16), 10_000.0, None)]
    (_, _), (q, state), (q2, _) = conversion_quotes(ASTI_2022, sample_market(), events, notices=later,
                                                    no_split=True)
    for day, got in ((dt.date(2023, 9, 20), q), (dt.date(2023, 10, 16), q2)):
        alone, _ = conversion_quote(ASTI_2022, sample_market(), events, notice_date=day, amount=10_000.0,
                                    no_split=True)
        assert got == alone
    assert not state.splits  # priced on the raw VWAPs, no split applied
