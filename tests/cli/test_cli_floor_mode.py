"""`ascent-xl price --terms F` on a deal whose floor is a cap: the floor binds, no cash."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from tests.helpers.markets import sessions_before

_register()


def test_price_on_a_cap_floor_deal_pays_no_floor_payment(tmp_path):
    terms = tmp_path / "cap.toml"
    terms.write_text('base = "ASTI_2022"\n[conversion]\nfloor_mode = "cap"\n'
                     "alternate_price_discount = 0\n")
    days = [*sessions_before("2023-03-28", 10), "2023-03-28"]
    vwaps = [0.40] * 7 + [0.25] * 3 + [0.27]
    csv = tmp_path / "v.csv"
    csv.write_text("Date,VWAP\n" + "".join(f"{d},{v}\n" for d, v in zip(days, vwaps, strict=True)))
    r = CliRunner().invoke(cli, ["price", "--vwaps", str(csv), "--notice-date", "2023-03-28",
                                 "--amount", "100000", "--terms", str(terms)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    # unfloored 0.25 (3 lowest of 0.25, discount 0) < floor 0.29: the price stops at the floor,
    # 100,000 / 0.29 = 344,827.59 -> up 344,828 shares, and the make-up (14,896.55) is not paid
    assert re.search(r"Conversion price\s+│\s+\$0\.29000", r.output)
    assert re.search(r"Shares \(rounded up\)\s+│\s+344,828", r.output)
    assert re.search(r"Floor payment \(cash\)\s+│\s+\$0\.00", r.output)
    r = CliRunner().invoke(cli, ["price", "--vwaps", str(csv), "--notice-date", "2023-03-28",
                                 "--amount", "100000", "--terms", str(terms), "--json"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    q = json.loads(r.output)
    assert q["floor_binds"] is True and q["conversion_price"] == 0.29
    assert q["shares"] == 344_828 and q["floor_payment"] == 0.0
