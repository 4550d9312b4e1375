"""What the pages of a sweep and of a sensitivity study read of the parameters they vary.

The analyses (`sim.analysis.design.Sweep`, `sim.analysis.sensitivity.Factor`) hand
their own objects to the pages; these protocols name the attributes a page reads,
so that `sim.report` depends on nothing in `sim.analysis`.
"""

from __future__ import annotations

from typing import Any, Protocol


class ParameterField(Protocol):
    """A scenario value as the schema describes it (`sim.analysis.design.ParamField`)."""

    @property
    def unit(self) -> str | None: ...

    @property
    def description(self) -> str | None: ...

    @property
    def current(self) -> Any:
        """Its value in the scenario as written."""

    @property
    def label(self) -> str:
        """The path with its unit, for axes."""


class SweptParameter(Protocol):
    """One parameter of a sweep: its values (a list or a grid), or a range (a Latin hypercube)."""

    @property
    def path(self) -> str: ...

    @property
    def field(self) -> ParameterField: ...

    @property
    def values(self) -> tuple: ...

    @property
    def lo(self) -> float | None: ...

    @property
    def hi(self) -> float | None: ...


class VariedParameter(Protocol):
    """One parameter of a sensitivity study and the range it is varied over."""

    @property
    def path(self) -> str: ...

    @property
    def field(self) -> ParameterField: ...

    @property
    def low(self) -> float: ...

    @property
    def high(self) -> float: ...
