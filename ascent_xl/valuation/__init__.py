"""Fair value and dilution of the notes and warrants by Monte Carlo.

The architecture, one module per step:

- :mod:`~ascent_xl.valuation.model` — the market model: :class:`ModelParams`, the trading-day
  grid and the path sources (simulated GBM with VWAP noise and a volume model, or given paths);
- :mod:`~ascent_xl.valuation.behaviour` — the holder's and the company's rules as a terms
  record (:class:`Behaviour`), and planned events (prepayments, default, interest elections);
- :mod:`~ascent_xl.valuation.contract` — terms, behaviour and model resolved onto the days: the
  flat record the kernel reads;
- :mod:`~ascent_xl.valuation.montecarlo` — the vectorised kernel (a loop over days, array
  operations across paths); :mod:`~ascent_xl.valuation.baseline` — the same model as a
  per-path loop, for cross-checks, benchmarks and single-path cash-flow traces;
- :mod:`~ascent_xl.valuation.warrants` — Black-Scholes for the warrants;
- :mod:`~ascent_xl.valuation.run` — chunks, threads, seeds; :mod:`~ascent_xl.valuation.results`
  — the result and its tables; :mod:`~ascent_xl.valuation.chart` — the PNG;
  :mod:`~ascent_xl.valuation.presets` — the demo's assumptions.

Start with :func:`value_deal`.
"""

from typing import Any

_EXPORTS = {
    "Behaviour": "behaviour",
    "InterestElection": "behaviour",
    "ScheduledPrepayment": "behaviour",
    "ModelParams": "model",
    "Distribution": "results",
    "Estimate": "results",
    "NoteValue": "results",
    "ValuationResult": "results",
    "prepare_valuation": "run",
    "run_valuation": "run",
    "value_deal": "run",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    # Imported on first use, so that importing a small part (the presets, for the worksheet
    # functions' descriptions) does not load the simulation kernel.
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f"ascent_xl.valuation.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'ascent_xl.valuation' has no attribute {name!r}")
