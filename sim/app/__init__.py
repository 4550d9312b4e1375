"""The classroom app (Mesa's SolaraViz): `solara run sim.app` serves `Page`.

- `model`: the app's inputs, the scenario list, and `AppModel`, the Mesa model
  SolaraViz rebuilds on Reset (the command line's model, built from the inputs);
- `map`: `MapPicture`, the map drawn once and redrawn each turn;
- `page`: the Solara components (sidebar, map, live plots, units).

Nothing else in `sim` imports the app.
"""

from sim.app.page import Page

__all__ = ["Page"]
