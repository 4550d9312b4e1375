"""The app's run told turn by turn: the events of the model's run so far (`sim.trace`).

`recent_events(model, kinds)` is the table the panel shows: the events of the run the
app is playing, newest turn first, optionally only some kinds; `EventsPanel(model)` is
the Solara component (a filter by kind, the table, a download of every event as CSV).
The events are those `run --trace` writes to `events.csv` for the same scenario and seed.
"""

from __future__ import annotations

import pandas as pd
import solara
from mesa.visualization.utils import update_counter

from sim.trace import KINDS, model_events

SHOWN = ("turn", "date", "phase", "side", "unit", "place", "kind", "detail", "personnel_lost", "cause")
"""The columns the panel shows (the download holds them all)."""

DEFAULT_KINDS = (
    "assaulted",
    "captured hex",
    "arrived",
    "broke",
    "rallied",
    "cut off",
    "resupplied",
    "left the map",
)
"""What the panel shows first: what a wargamer asks after a turn (who attacked where, what fell)."""


def recent_events(model, kinds=None) -> pd.DataFrame:
    """The events of the model's run so far, newest turn first; only `kinds` if given."""
    table = model_events(model)
    if kinds:
        table = table[table["kind"].isin(list(kinds))]
    return table.sort_values("turn", ascending=False, kind="stable").reset_index(drop=True)


@solara.component
def EventsPanel(model):
    """A filter by kind, the table of events (newest first) and a CSV download of all of them."""
    update_counter.get()
    kinds, set_kinds = solara.use_state(list(DEFAULT_KINDS))
    table = recent_events(model, kinds)
    with solara.Column(gap="6px"):
        solara.SelectMultiple("Kinds of event", values=kinds, all_values=list(KINDS), on_value=set_kinds)
        if table.empty:
            solara.Text("No events of these kinds yet: Step plays a turn.", style={"color": "#555"})
        else:
            solara.DataFrame(table[list(SHOWN)], items_per_page=15)
        solara.FileDownload(
            lambda: model_events(model).to_csv(index=False).encode("utf-8"),
            filename=f"events_seed{model.battlefield.dice.seed}_turn{model.battlefield.turn}.csv",
            label="Download every event (CSV)",
        )
