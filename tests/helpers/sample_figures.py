"""The bundled sample deal's totals by hand (ASTI_2022 on ascent_xl/data/sample_events.csv and
sample_vwaps.csv), for the tests that check a book's figures without running the engine.

Each figure is written out from the sample files and the supplement's rules; the tests of the
ledger itself check the same rows one by one (tests/ledger/test_ledger_sample_deal.py,
tests/excel/test_template_state_sheets.py)."""

from __future__ import annotations

# Principal: the two notes ($12.5m Registered, $2.5m Private), the Q1 2023 PIK note
# (Registered-PIK1, $129,097.50) and the Private note's capitalised Q1 interest
# (2,500,000 x 4.5% x 90/360 = $28,125.00).
PIK_Q1 = 129_097.50 + 28_125.00
PRINCIPAL_ISSUED = 15_000_000 + PIK_Q1
# Conversions as the sample file lists them: $2,746,212 in Q1 2023 and $50,000 on 2023-10-02.
PRINCIPAL_CONVERTED = 2_746_212 + 50_000
# Cash: nine $1,000,000 prepayments, the Registered note's $703,788 rest, the Private note
# ($2,528,125 with its PIK) and the PIK note at maturity.
PRINCIPAL_REPAID = 9_000_000 + 703_788 + 2_528_125 + 129_097.50

# Shares: 8 conversions before the 1:200 split of 2023-09-12 and one of 1,250 after it.
SHARES_BEFORE_SPLIT = 125_733 + 179_436 + 268_627 + 419_770 + 745_928 + 621_465 + 1_113_497 + 1_379_311
SHARES_RESTATED = SHARES_BEFORE_SPLIT / 200 + 1_250  # 25,518.835

# Floor payments where the floor binds: (amount / unfloored price - amount / floor) x the
# conversion day's VWAP, the unfloored price 92.5% of the mean of the 3 lowest of the 10 VWAPs
# before the notice. 2023-03-28: $400,000 at the $0.29 floor, VWAP 0.2985; 2023-10-02: $50,000 at
# the amended $0.20 floor restated x 200 = $40, VWAP 9.6451 (post-split VWAPs in the window).
_ALT_MARCH = 0.925 * (0.2646 + 0.2700 + 0.2885) / 3
_ALT_OCTOBER = 0.925 * (10.2452 + 10.3420 + 10.4757) / 3
FLOOR_PAYMENTS = round((400_000 / _ALT_MARCH - 400_000 / 0.29) * 0.2985, 2) + round(
    (50_000 / _ALT_OCTOBER - 50_000 / 40) * 9.6451, 2)  # 58,745.12 + 38,295.34

# The company's shares: 68,500,000 outstanding on 2023-08-14, 342,500 after the 1:200 split,
# then the 1,250 conversion shares of 2023-10-02.
SHARES_OUTSTANDING = 68_500_000 // 200 + 1_250  # 343,750
# The holder: the 4,853,767 shares converted before the split less the 250,000 + 300,000 +
# 1,500,000 + 1,300,000 + 1,200,000 sold = 303,767; 1,518.835 after the split, kept as 1,519
# whole shares; + 1,250 = 2,769.
HOLDER_SHARES = round((SHARES_BEFORE_SPLIT - (250_000 + 300_000 + 1_500_000 + 1_300_000 + 1_200_000)) / 200) + 1_250
HOLDER_OWNERSHIP = HOLDER_SHARES / SHARES_OUTSTANDING  # 0.80553%
