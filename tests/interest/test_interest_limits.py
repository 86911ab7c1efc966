"""accrued_interest's rate bounds: 0 allowed, 1 (100%) and above refused. Kills accrued_interest
mutants 12 (0 refused), 13 (1 accepted) and 14 (1.5 accepted)."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import InputError
from ascent_xl.interest import accrued_interest

START, END = dt.date(2023, 3, 31), dt.date(2023, 6, 30)  # 90 days under 30/360


def test_a_zero_rate_accrues_nothing_and_rates_of_100pct_or_more_are_refused():
    assert accrued_interest(1_000_000, START, END, rate=0.0, basis="30/360") == 0.0
    assert accrued_interest(1_000_000, START, END, rate=0.99, basis="30/360") == pytest.approx(247_500)  # x 90/360
    for rate in (1.0, 1.5):
        with pytest.raises(InputError, match=rf"^rate {rate}: give an annual rate as a fraction \(4.5% is 0.045\)$"):
            accrued_interest(1_000_000, START, END, rate=rate, basis="30/360")
