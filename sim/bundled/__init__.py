"""The scenarios, maps and JSON Schemas an installed package carries (copied here when the wheel is
built, see setup.py); a checkout uses its own `scenarios/` and `docs/` instead (`sim.resources`)."""
