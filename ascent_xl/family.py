"""Rule shapes of the deal family beyond Ascent Solar's: pure functions of terms and numbers.

The Ascent deal's own rules live in :mod:`ascent_xl.pricing`; the shapes other deals of the
family need (issue 14) live here, each a pure function the ledger calls, so each rule has one
place. :func:`unmodelled_shapes` names the terms a consumer that does not model a shape (the
Monte Carlo kernel) must refuse rather than value wrongly.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

from ascent_xl.errors import InputError, UnmodelledError
from ascent_xl.market import MarketData
from ascent_xl.money import round_cents, round_shares, whole_units
from ascent_xl.pricing import fixed_conversion_price, split_adjusted_price
from ascent_xl.terms import ConversionTerms, CovenantTerms, DealTerms, NoteTerms, check_term

# Each shape a consumer may not model: (dotted term, test on the terms that the deal uses it,
# what it means in words).
_SHAPES: tuple[tuple[str, Any, str], ...] = (
    ("conversion.window_includes_notice_day", lambda t: t.conversion.window_includes_notice_day,
     "a look-back window ending on the notice day"),
    ("default.interest_rate", lambda t: any(t.default.interest_rate > n.rate for n in t.notes),
     "a higher interest rate after an event of default"),
    ("conversion.alternate_price_applies", lambda t: t.conversion.alternate_price_applies != "always",
     "an alternate price that applies only in default"),
    ("conversion.alternate_price_start_days", lambda t: t.conversion.alternate_price_start_days > 0,
     "an alternate price that applies only from a number of days after issue"),
    ("conversion.installment_amount", lambda t: t.conversion.installment_amount > 0,
     "installment conversions"),
    ("redemption.trigger_price", lambda t: t.redemption.trigger_price > 0,
     "price-triggered monthly payments"),
    ("conversion.price_source", lambda t: t.conversion.price_source != "vwap",
     "windows on closing prices"),
    ("conversion.price_reset_days", lambda t: bool(t.conversion.price_reset_days),
     "dated resets of the fixed price"),
    ("covenants.exchange_cap",
     lambda t: t.covenants.exchange_cap < 1 and not t.covenants.exchange_cap_approved,
     "an exchange cap without shareholder approval"),
    ("conversion.default_discount",
     lambda t: t.conversion.default_discount > t.conversion.alternate_price_discount,
     "a deeper discount during an event of default"),
    ("notes.maturity_months", lambda t: any(not n.maturity_months for n in t.notes),
     "an instrument without maturity (a convertible preferred: maturity_months 0)"),
)


def alternate_applies(*, applies: str, start_days: int, issue_date: Any, notice_date: Any,
                      in_default: Any) -> Any:
    """Whether the alternate price applies on ``notice_date`` to a note issued on ``issue_date``
    (terms ``conversion.alternate_price_applies`` and ``alternate_price_start_days``): from
    ``start_days`` calendar days after issue, and with applies ``in_default`` only while an
    event of default lasts. Element-wise on arrays of dates (numpy ``datetime64[D]``).

    Examples
    --------
    >>> import datetime as dt
    >>> issue = dt.date(2024, 7, 19)
    >>> alternate_applies(applies="always", start_days=60, issue_date=issue,
    ...                   notice_date=dt.date(2024, 9, 16), in_default=False)
    False
    >>> alternate_applies(applies="always", start_days=60, issue_date=issue,
    ...                   notice_date=dt.date(2024, 9, 17), in_default=False)
    True
    >>> alternate_applies(applies="in_default", start_days=0, issue_date=issue,
    ...                   notice_date=dt.date(2024, 9, 17), in_default=False)
    False
    """
    mode = check_term(ConversionTerms, "alternate_price_applies", applies, label="applies")
    days = check_term(ConversionTerms, "alternate_price_start_days", start_days, label="start_days")
    notice = np.asarray(notice_date, dtype="datetime64[D]")
    if mode == "always" and days == 0:  # the Ascent deal's: always (a date before issue included)
        return True if np.ndim(notice) == 0 else np.ones(notice.shape, dtype=bool)
    start = np.datetime64(issue_date, "D") + np.timedelta64(days, "D")
    ok = (notice >= start) & (np.asarray(in_default, dtype=bool) | (mode == "always"))
    return bool(ok) if np.ndim(ok) == 0 else ok


def alternate_discount(*, discount: float, default_discount: float, in_default: bool) -> float:
    """The alternate price's discount now: ``discount``, or while an event of default lasts the
    deeper of it and ``default_discount`` (term ``conversion.default_discount``; 0 is none).

    Examples
    --------
    >>> alternate_discount(discount=0.05, default_discount=0.10, in_default=True)
    0.1
    >>> alternate_discount(discount=0.05, default_discount=0.10, in_default=False)
    0.05
    """
    return max(discount, default_discount) if in_default else discount


def conversion_on(conversion: ConversionTerms, *, notice_date: dt.date, issue_date: dt.date,
                  in_default: bool) -> tuple[ConversionTerms, bool]:
    """The conversion terms of a note issued on ``issue_date`` as they apply on ``notice_date``
    (the discount deepened in default, :func:`alternate_discount`) and whether the alternate
    price applies then (:func:`alternate_applies`). The ledger and the position ask this
    before :func:`ascent_xl.pricing.capped_conversion`."""
    c = conversion
    applies = alternate_applies(applies=c.alternate_price_applies, start_days=c.alternate_price_start_days,
                                issue_date=issue_date, notice_date=notice_date, in_default=in_default)
    discount = alternate_discount(discount=c.alternate_price_discount, default_discount=c.default_discount,
                                  in_default=in_default)
    if discount != c.alternate_price_discount:
        c = c.replace(alternate_price_discount=discount)
    return c, bool(applies)


def interest_rate(*, rate: float, default_rate: float, in_default: bool) -> float:
    """The annual rate a note bears now: its own ``rate``, or while an event of default lasts
    (from the default until it is waived) the higher of it and ``default_rate``
    (term ``default.interest_rate``; 0 is no default rate).

    Examples
    --------
    >>> interest_rate(rate=0.05, default_rate=0.15, in_default=True)
    0.15
    >>> interest_rate(rate=0.05, default_rate=0.15, in_default=False)
    0.05
    >>> interest_rate(rate=0.045, default_rate=0.0, in_default=True)
    0.045
    """
    return max(rate, default_rate) if in_default else rate


def unmodelled_shapes(terms: DealTerms, *, modelled: frozenset[str] = frozenset()) -> list[str]:
    """The dotted names of the family terms ``terms`` use (set away from the Ascent deal's
    shape) that are not in ``modelled``, in declaration order.

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> unmodelled_shapes(ASTI_2022)
    []
    >>> unmodelled_shapes(ASTI_2022.with_term("window_includes_notice_day", True))
    ['conversion.window_includes_notice_day']
    """
    return [name for name, used, _ in _SHAPES if name not in modelled and used(terms)]


def refuse_unmodelled(terms: DealTerms, *, who: str, modelled: frozenset[str] = frozenset()) -> None:
    """Raise a :class:`TermsError` naming the first term ``terms`` use that ``who`` (e.g. "the
    Monte Carlo valuation") does not model: a number from a rule it lacks would be wrong."""
    names = unmodelled_shapes(terms, modelled=modelled)
    if names:
        refuse_shape(names[0], who=who)


def refuse_shape(name: str, *, who: str) -> NoReturn:
    """Raise the :class:`~ascent_xl.errors.UnmodelledError` (a :class:`TermsError`) of
    :func:`refuse_unmodelled` for the shape of the term ``name`` (one of the family terms
    :func:`unmodelled_shapes` knows)."""
    meaning = {n: m for n, _, m in _SHAPES}[name]
    raise UnmodelledError(
        name,
        f"{who} does not model {meaning}; it would value another deal. Use the "
        "ledger and the price commands for this deal, or set the term back to the Ascent "
        "deal's shape to value an approximation",
    )


def exchange_cap_room(*, cap: float, shares_at_agreement: float, split_factor: float = 1.0,
                      issued: float, approved: bool) -> float:
    """Shares the deal may still issue on conversions under the exchange cap (terms
    ``covenants.exchange_cap`` and ``exchange_cap_approved``): ``cap`` x the shares outstanding
    at the agreement date (restated by ``split_factor``, the new shares per old of the splits
    since), rounded down, less the shares ``issued`` so far (on the current basis); unlimited
    (``inf``) once the shareholders have approved more.

    Examples
    --------
    >>> exchange_cap_room(cap=0.1999, shares_at_agreement=10_000_000, issued=1_500_000, approved=False)
    499000.0
    >>> exchange_cap_room(cap=0.1999, shares_at_agreement=10_000_000, issued=2_500_000, approved=False)
    0.0
    """
    c = check_term(CovenantTerms, "exchange_cap", cap, label="cap")
    if approved or c >= 1:
        return math.inf
    limit = math.floor(round(c * shares_at_agreement * split_factor, 6))
    return float(max(0.0, limit - issued))


@dataclass(frozen=True, slots=True)
class ExchangeCapCut:
    """A conversion cut to the exchange cap: what converts (USD), the shares issued, and with
    ``excess`` cash the shares beyond the cap paid in cash at the day's VWAP (USD)."""

    principal: float
    interest: float
    shares: int
    excess_shares: int
    cash: float


def exchange_cap_cut(*, principal: float, interest: float, shares: int, price: float, room: float,
                     excess: str, vwap: float | None, unit: float = 0.0, rounding: str = "up") -> ExchangeCapCut:
    """Apply the exchange cap to a conversion of ``principal`` + ``interest`` USD into ``shares``
    at ``price``, with ``room`` shares left under the cap (:func:`exchange_cap_room`).

    ``excess`` (term ``covenants.exchange_cap_excess``): ``refuse`` converts only what ``room``
    shares pay for (``room`` x ``price`` rounded down to the cent, interest first) and the rest
    stays outstanding; ``cash`` converts everything, issues ``room`` shares and pays the shares
    beyond it in cash at ``vwap`` (rounded to the cent). ``unit``: under ``refuse`` the principal
    converts in whole multiples of it (a preferred's stated value), so the largest whole number
    of them within ``room`` converts, into its shares rounded by ``rounding`` (never above
    ``room``); 0: to the cent, into ``room`` shares.

    Examples
    --------
    >>> exchange_cap_cut(principal=100_000, interest=0, shares=200_000, price=0.5, room=150_000,
    ...                  excess="refuse", vwap=None)
    ExchangeCapCut(principal=75000.0, interest=0.0, shares=150000, excess_shares=50000, cash=0.0)
    >>> exchange_cap_cut(principal=100_000, interest=0, shares=200_000, price=0.5, room=150_000,
    ...                  excess="cash", vwap=0.55)
    ExchangeCapCut(principal=100000.0, interest=0.0, shares=150000, excess_shares=50000, cash=27500.0)

    Whole preferred shares of $10,000: the room's $75,000 is 7.5 of them, 7 convert, into
    70,000 / 0.5 = 140,000 shares:

    >>> exchange_cap_cut(principal=100_000, interest=0, shares=200_000, price=0.5, room=150_000,
    ...                  excess="refuse", vwap=None, unit=10_000)
    ExchangeCapCut(principal=70000.0, interest=0.0, shares=140000, excess_shares=60000, cash=0.0)
    """
    how = check_term(CovenantTerms, "exchange_cap_excess", excess, label="excess")
    principal, interest = float(principal), float(interest)
    if shares <= room:
        return ExchangeCapCut(principal, interest, shares, 0, 0.0)
    allowed = int(room)
    over = shares - allowed
    if how == "cash":
        if vwap is None or not vwap > 0:
            raise InputError("the exchange cap's cash for the shares beyond it needs the day's VWAP")
        return ExchangeCapCut(principal, interest, allowed, over, round_cents(over * vwap))
    amount = math.floor(round(allowed * price * 100, 6)) / 100
    interest_conv = min(interest, amount)
    principal_conv = min(principal, round_cents(amount - interest_conv))
    if unit:  # whole preferred shares: the largest number within the room
        principal_conv = whole_units(principal_conv, unit)
        issued = min(allowed, int(round_shares((principal_conv + interest_conv) / price, rounding)))
        return ExchangeCapCut(float(principal_conv), float(interest_conv), issued, shares - issued, 0.0)
    return ExchangeCapCut(float(principal_conv), float(interest_conv), allowed, over, 0.0)


def reset_fixed_price(*, fixed_price: float, average: float, pct: float, rule: str) -> float:
    """The fixed price after a dated reset (terms ``conversion.price_reset_*``): ``pct`` x
    ``average`` (the VWAPs of the days before the reset date), with rule ``lower`` never above
    the fixed price before, with ``replace`` up or down.

    Examples
    --------
    >>> reset_fixed_price(fixed_price=2.30, average=1.80, pct=1.0, rule="replace")
    1.8
    >>> reset_fixed_price(fixed_price=2.30, average=2.50, pct=1.0, rule="replace")
    2.5
    >>> reset_fixed_price(fixed_price=2.30, average=2.50, pct=1.0, rule="lower")
    2.3
    """
    how = check_term(ConversionTerms, "price_reset_rule", rule, label="rule")
    p = check_term(ConversionTerms, "price_reset_pct", pct, label="pct")
    new = p * float(average)
    return min(float(fixed_price), new) if how == "lower" else new


def price_reset_action(*, conditions: str, met: bool, next_day: dt.date | None, deadline: dt.date | None) -> str:
    """What a dated reset does on its day (term ``conversion.price_reset_conditions``), given
    whether the equity conditions hold then (``met``): ``"reset"``; ``"skip"`` (the fixed price
    stays); ``"defer"`` (tried again on ``next_day``, the next trading day); or ``"pending"``
    (deferred, but no later day is known yet: ``next_day`` None, the market data ends). With
    ``conditions`` none the reset happens whatever the state; with skip only when ``met``; with
    defer, when not ``met``, it waits for a later day before ``deadline`` (the note's next reset
    date or its maturity; None for a note without maturity and no later reset: no deadline) and
    is skipped when none is left.

    Examples
    --------
    >>> import datetime as dt
    >>> day, end = dt.date(2024, 8, 13), dt.date(2024, 10, 11)
    >>> price_reset_action(conditions="none", met=False, next_day=day, deadline=end)
    'reset'
    >>> price_reset_action(conditions="skip", met=False, next_day=day, deadline=end)
    'skip'
    >>> price_reset_action(conditions="defer", met=False, next_day=day, deadline=end)
    'defer'
    >>> price_reset_action(conditions="defer", met=False, next_day=end, deadline=end)
    'skip'
    >>> price_reset_action(conditions="defer", met=True, next_day=day, deadline=end)
    'reset'
    >>> price_reset_action(conditions="defer", met=False, next_day=None, deadline=end)
    'pending'
    """
    how = check_term(ConversionTerms, "price_reset_conditions", conditions, label="conditions")
    if how == "none" or met:
        return "reset"
    if how == "defer" and next_day is None:
        return "pending"
    if how == "defer" and next_day is not None and (deadline is None or next_day < deadline):
        return "defer"
    return "skip"


def price_reset_dates(issue_date: dt.date, days: tuple[int, ...]) -> list[dt.date]:
    """The reset dates of a note issued on ``issue_date``: ``days`` calendar days after it."""
    return [issue_date + dt.timedelta(days=d) for d in days]


def has_own_fixed_price(note: NoteTerms, *, own: bool = True) -> bool:
    """Whether a note (tranche, advance) has a fixed price of its own rather than the deal's
    ``conversion.fixed_price``: ``own_fixed_price`` set (and ``own``: the note is one of the
    terms', not an additional note started from the first note's terms), or
    ``own_fixed_price_at_issue``. An Amendment of the deal's ``conversion.fixed_price`` (Note
    blank) leaves such a note's price as it is (see docs/deal-terms.md, "Amendments").

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> reg = ASTI_2022.note("Registered")
    >>> has_own_fixed_price(reg), has_own_fixed_price(reg.replace(own_fixed_price=2.5))
    (False, True)
    >>> has_own_fixed_price(reg.replace(own_fixed_price=2.5), own=False)
    False
    """
    return bool((own and note.own_fixed_price > 0) or note.own_fixed_price_at_issue)


def note_fixed_price(note: NoteTerms, conversion: ConversionTerms, *, deal_price: float,
                     market: MarketData | None, own: bool = True) -> float:
    """The fixed price a note (tranche, advance) is issued with: its ``own_fixed_price`` when
    set (and ``own``: the note is one of the terms'), else with ``own_fixed_price_at_issue``
    ``(1 + fixed_price_premium)`` x the average of the ``fixed_price_days`` VWAPs before its own
    issue date, else the deal's ``deal_price``.

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> reg = ASTI_2022.note("Registered")
    >>> note_fixed_price(reg, ASTI_2022.conversion, deal_price=3.93042, market=None)
    3.93042
    >>> note_fixed_price(reg.replace(own_fixed_price=2.5), ASTI_2022.conversion, deal_price=3.93042,
    ...                  market=None)
    2.5
    """
    if not has_own_fixed_price(note, own=own):
        return float(deal_price)
    if own and note.own_fixed_price > 0:
        return float(note.own_fixed_price)
    if market is None:  # own_fixed_price_at_issue
        raise InputError(f"note {note.name}: its fixed price is computed from the VWAPs before its "
                         f"issue date {note.issue_date}; give the VWAP series")
    return fixed_conversion_price(market, issue_date=note.issue_date, premium=conversion.fixed_price_premium,
                                  days=conversion.fixed_price_days)


def restated_trigger_prices(dates: np.ndarray | list[dt.date], *, price: float,
                            splits: list[tuple[dt.date, float]]) -> np.ndarray:
    """The trigger price (``redemption.trigger_price``) in force on each session of ``dates``:
    ``price`` restated by every split (``(date, new shares per old)``) from its effective day
    on, like the fixed price and the floor (:func:`~ascent_xl.pricing.split_adjusted_price`),
    so that it is compared with as-traded prices on their own share basis.

    Examples
    --------
    >>> import numpy as np, datetime as dt
    >>> d = np.array(["2024-01-04", "2024-01-05", "2024-01-08"], dtype="datetime64[D]")
    >>> restated_trigger_prices(d, price=1.0, splits=[(dt.date(2024, 1, 5), 0.1)]).tolist()
    [1.0, 10.0, 10.0]
    """
    days = np.asarray(dates, dtype="datetime64[D]")
    out = np.full(len(days), float(price))
    current = float(price)
    for day, ratio in sorted(splits):
        current = split_adjusted_price(current, ratio=ratio)
        out[int(np.searchsorted(days, np.datetime64(day, "D"))):] = current
    return out


def trigger_payment_dates(dates: np.ndarray, prices: np.ndarray, *, price: float | np.ndarray, days: int, window: int,
                          cure_days: int, delay_days: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """The dates of price-triggered monthly payments (terms ``redemption.trigger_*``) from the
    daily ``prices`` on the sessions ``dates``: on the first session on or after ``start`` where
    the price was below ``price`` on ``days`` of the last ``window`` sessions (the trigger;
    ``price`` may be one per session, restated by splits: :func:`restated_trigger_prices`),
    payments fall due ``delay_days`` sessions later and then on the same day of each following
    month, up to ``end``, until the price is at or above ``price`` for ``cure_days``
    consecutive sessions (the cure: no payment after it; a later trigger starts them again).
    A missing price counts as neither below nor above.

    Examples
    --------
    >>> import numpy as np, datetime as dt
    >>> d = np.array(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"],
    ...              dtype="datetime64[D]")
    >>> trigger_payment_dates(d, np.array([1.1, 0.9, 0.95, 0.9, 0.8]), price=1.0, days=2, window=3,
    ...                       cure_days=5, delay_days=1, start=dt.date(2024, 1, 2),
    ...                       end=dt.date(2024, 3, 31))
    [datetime.date(2024, 1, 5), datetime.date(2024, 2, 5), datetime.date(2024, 3, 5)]
    """
    from dateutil.relativedelta import relativedelta

    below = np.asarray(prices, dtype=float) < price
    above = np.asarray(prices, dtype=float) >= price
    days_list = [d.item() for d in np.asarray(dates, dtype="datetime64[D]")]
    out: list[dt.date] = []
    i = int(np.searchsorted(np.asarray(dates, dtype="datetime64[D]"), np.datetime64(start, "D")))
    n = len(days_list)
    while i < n:
        if i + 1 >= window and int(below[i + 1 - window: i + 1].sum()) >= days:
            first_at = i + delay_days
            if first_at >= n:
                break
            first = days_list[first_at]
            run, cured_at = 0, n
            for j in range(i + 1, n):  # the cure: cure_days sessions in a row at or above price
                run = run + 1 if above[j] else 0
                if run >= cure_days:
                    cured_at = j
                    break
            k = 0  # monthly up to end, before the cure's day
            while (due := first + relativedelta(months=k)) <= end and (cured_at == n or due < days_list[cured_at]):
                out.append(due)
                k += 1
            if cured_at == n:
                break
            i = cured_at + 1
            continue
        i += 1
    return out


def installment_terms(conversion: ConversionTerms) -> ConversionTerms:
    """The conversion terms an installment conversion is priced on (``conversion.installment_*``):
    the lower of the fixed price and ``(1 - installment_discount)`` x the average of the
    ``installment_lowest`` lowest VWAPs of the ``installment_days`` before the installment date,
    with the deal's floor (and its make-up where ``floor_mode`` is make_up)."""
    c = conversion
    if not c.installment_amount:
        raise InputError("the deal has no installments (conversion.installment_amount is 0)")
    return c.replace(alternate_price_discount=c.installment_discount, alternate_price_days=c.installment_days,
                     alternate_price_lowest=c.installment_lowest)


def installment_dates(issue_date: dt.date, maturity: dt.date, *, first_month: int,
                      sessions: np.ndarray) -> list[dt.date]:
    """The installment dates of a note: each month from ``first_month`` months after issue
    before maturity, moved to the next session of ``sessions`` where it is not one.

    Examples
    --------
    >>> import numpy as np, datetime as dt
    >>> s = np.array(["2023-02-20", "2023-02-21", "2023-03-20", "2023-04-19"], dtype="datetime64[D]")
    >>> installment_dates(dt.date(2023, 1, 19), dt.date(2023, 4, 30), first_month=1, sessions=s)
    [datetime.date(2023, 2, 20), datetime.date(2023, 3, 20), datetime.date(2023, 4, 19)]
    """
    from dateutil.relativedelta import relativedelta

    out = []
    k = first_month
    while (day := issue_date + relativedelta(months=k)) < maturity:
        i = int(np.searchsorted(sessions, np.datetime64(day, "D")))
        if i < len(sessions) and (session := sessions[i].item()) < maturity:
            out.append(session)
        k += 1
    return out
