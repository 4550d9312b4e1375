"""The classroom app (Mesa's SolaraViz): `solara run sim.app` serves `Page` in `Layout`.

- `model`: the app's inputs, the scenario list, and `AppModel`, the Mesa model
  SolaraViz rebuilds on Reset (the command line's model, built from the inputs);
- `map`: `MapPicture`, the map drawn once and redrawn each turn;
- `page`: the Solara components (the frame, sidebar, map, live plots, downloads, units).

Nothing else in `sim` imports the app.
"""

import solara

from sim.app.page import TITLE, Layout, Page

routes = [solara.Route(path="/", component=Page, label=TITLE, layout=Layout)]
"""One page (Solara would otherwise offer each module of the package as a page of its own)."""

__all__ = ["Layout", "Page", "routes"]
