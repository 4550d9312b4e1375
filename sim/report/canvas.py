"""Where figures are drawn and how they are written: axes, figures, the PNG file.

Every `plot_*` function of `sim.report` has the form `plot_x(data, ax=None) -> Axes`
(as in SALib): it draws on `ax`, or on `new_axes` (a pyplot figure, shown in a
notebook) when `ax` is None, and never calls `show()`. Studies and analyses draw on
`new_figure`, outside pyplot, so they run headless whatever the backend, and write
with `save_figure` (PNG, atomic).
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.output import atomic_write_bytes
from sim.report.style import DPI, NEUTRAL_COLOUR


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """`ax` itself, or the axes of a new pyplot figure (shown in notebooks, Agg headless)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A figure outside pyplot: no GUI, no global registry, freed when dropped."""
    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig: Figure, path: str | Path, dpi: int = DPI) -> Path:
    """Write `fig` as a PNG atomically (temporary file, then rename) and close it."""
    path = Path(path)
    try:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, buffer.getvalue())
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)  # a no-op for figures made outside pyplot
    return path


def no_data(ax: Axes, message: str, *, fontsize: float | str = 12) -> None:
    """`message` in grey in the middle of `ax`, where the data would have been.

    `fontsize` in points, or relative ("medium": the default text size, as on the analysis figures).
    """
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=fontsize,
        color=NEUTRAL_COLOUR,
    )
