"""ascent-xl schedule: the per-note summary shows shares as issued per share basis and restated
to the current basis, labelled, at 80 columns (the sample deal: 1:200 split on 2023-09-12)."""

from __future__ import annotations

from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

_register()


def test_the_terminal_summary_labels_both():
    r = CliRunner().invoke(cli, ["schedule", "--events", str(data_path(SAMPLE_EVENTS)),
                                 "--vwaps", str(data_path(SAMPLE_VWAPS))], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(map(len, lines)) <= 80
    figure = {line.split("  ")[0]: line.split()[-1] for line in lines if line.startswith("Shares ")}
    assert figure["Shares old basis"] == "4,853,767" and figure["Shares new basis"] == "1,250"
    assert figure["Shares restated"] == "25,519"
    assert "4,855,017" not in r.output
    text = " ".join(r.output.split())
    assert ("Shares old basis: as issued before the 1:200 split of 2023-09-12; new basis: as issued from it; "
            "restated: all on the new basis (old / 200 + new).") in text
