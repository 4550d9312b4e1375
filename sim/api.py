"""The Python API, for notebooks and scripts: studies as DataFrames.

    import sim
    study = sim.run("scenarios/tutorial.yaml", runs=200, seed=1,
                    overrides={"forces.ru_north_1.personnel": 3000})
    study.runs                    # one row per run: the runs.csv columns
    study.timeseries              # one row per run and turn (tidy)
    study.summary["metrics"]["ua_area_km2"]["p50"]
    study.plot_fan_chart()        # matplotlib axes, shown inline in a notebook
    study.to_folder("results/my-study")   # exactly what the command line writes

    both = sim.compare(["scenarios/sudzha_jan2025.yaml", "scenarios/whatif_no_air.yaml"], runs=100)
    both.table                    # compare.csv: paired differences with 95 % intervals

Overrides are typed: numbers (NumPy scalars too), strings, lists and maps are written
so that the scenario reads them back as the same values, then validated like `--set`.
A study plays in a private temporary folder (removed when the object goes), with the
same seeds, workers and files as the command line.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.machine import default_workers
from sim.scenario.dotted import yaml_text

DEFAULT_SEED = 20250106


def overrides_of(values: Mapping[str, Any] | Sequence[str] | None) -> list[str]:
    """`--set` assignments from a mapping of dotted paths to values (or assignments as given)."""
    if values is None:
        return []
    if not isinstance(values, Mapping):
        return [str(v) for v in values]
    out = []
    for path, value in values.items():
        if isinstance(value, Mapping | list | tuple):
            text = json.dumps(_plain(value))  # JSON is YAML: lists and maps read back as given
        else:
            text = yaml_text(_plain(value))
        out.append(f"{path}={text}")
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="sudzha-"))


def _copy_into(source: Path, target: Path, force: bool) -> Path:
    from sim.output import prepare_output_dir

    target = prepare_output_dir(Path(target), force)
    for item in source.iterdir():
        if item.is_dir():
            shutil.copytree(item, target / item.name, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target / item.name)
    return target


@dataclass
class Study:
    """A Monte Carlo study of one scenario, in memory (see the module docstring)."""

    scenario: Any
    seed: int
    summary: dict[str, Any]
    runs: Any
    """The runs.csv table (pandas DataFrame)."""
    timeseries: Any
    """The timeseries.csv table: one row per run and turn."""
    hexes: Any
    """The hexes.csv table: each hex and the share of runs in which Ukraine held it."""
    _folder: Path = field(repr=False)
    _p_ua: np.ndarray = field(repr=False)
    _p_cut: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        weakref.finalize(self, shutil.rmtree, self._folder, True)

    def to_folder(self, path: str | Path, *, plots: bool = True, force: bool = False) -> Path:
        """Write what the command line writes (CSVs, summary, resolved scenario, plots, report)."""
        from sim.study import write_pictures

        target = _copy_into(self._folder, Path(path), force)
        if plots:
            write_pictures(self.scenario, target, self.summary, self._p_ua, self._p_cut, seed=self.seed)
        return target

    def plot_fan_chart(self, metric: str = "ua_area_km2", ax=None):
        """The median and the 50 % and 90 % bands of `metric`, turn by turn."""
        from sim.report.figures import plot_fan_chart

        spec = self.scenario.spec
        draws = self.runs.set_index("run")["draw"] if "draw" in self.runs else None
        return plot_fan_chart(
            self.timeseries,
            metric,
            ax=ax,
            start_date=spec.start_date,
            turn_hours=spec.turn_hours,
            draws=draws,
        )

    def plot_histogram(self, metric: str = "ua_area_km2", ax=None):
        """The distribution of an end-of-run outcome over the runs."""
        from sim.report.figures import plot_histogram

        return plot_histogram(self.runs, metric, ax=ax)


def run(
    scenario: str | Path,
    *,
    runs: int = 200,
    seed: int = DEFAULT_SEED,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    workers: int | None = None,
    per_draw: int = 5,
    fixed: bool = False,
    progress: bool = True,
) -> Study:
    """Play a scenario `runs` times and return the study (nothing is written outside a temp folder)."""
    import pandas as pd

    from sim.loading import load_scenario
    from sim.study import run_study

    loaded = load_scenario(scenario, overrides_of(overrides))
    if fixed:
        loaded = loaded.at_centre()
    folder = _scratch()
    result = run_study(
        loaded,
        folder,
        runs=runs,
        seed=seed,
        workers=workers or default_workers(),
        progress=progress,
        plots=False,
        per_draw=per_draw,
    )
    return Study(
        scenario=loaded,
        seed=seed,
        summary=result.summary,
        runs=pd.read_csv(folder / "runs.csv"),
        timeseries=pd.read_csv(folder / "timeseries.csv"),
        hexes=pd.read_csv(folder / "hexes.csv"),
        _folder=folder,
        _p_ua=result.p_ua,
        _p_cut=result.p_cut,
    )


class _Replayable:
    """What an analysis played in a scratch folder shares: the folder goes with the object, and
    `to_folder` plays it again (same seeds) into a folder of the user's, plots included. Subclasses
    are dataclasses with the fields `_folder` and `_replay`."""

    def __post_init__(self) -> None:
        weakref.finalize(self, shutil.rmtree, self._folder, True)

    def to_folder(self, path: str | Path, *, force: bool = False) -> Path:
        """Write what the command line writes, plots included (the runs are played again, same seeds)."""
        from sim.output import prepare_output_dir

        target = prepare_output_dir(Path(path), force)
        self._replay(target)
        return target


@dataclass
class Comparison(_Replayable):
    """Scenarios played on the same seeds, and their paired differences."""

    labels: list[str]
    table: Any
    """compare.csv: per outcome and scenario, mean, median and the paired difference from the first."""
    runs: dict[str, Any]
    """Each scenario's runs.csv table, by label."""
    summary: dict[str, Any]
    _folder: Path = field(repr=False)
    _replay: Any = field(repr=False)


def compare(
    scenarios: Sequence[str | Path],
    *,
    runs: int = 200,
    seed: int = DEFAULT_SEED,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    workers: int | None = None,
    progress: bool = True,
) -> Comparison:
    """Play each scenario on the same seeds; the first is the baseline."""
    import pandas as pd

    from sim.analysis.compare import Entry, labels_for, run_compare
    from sim.loading import load_scenario

    paths = [Path(p) for p in scenarios]
    labels = labels_for(paths)
    entries = [
        Entry(label, path, load_scenario(path, overrides_of(overrides)))
        for label, path in zip(labels, paths, strict=True)
    ]
    options = {"runs": runs, "seed": seed, "workers": workers or default_workers(), "progress": progress}
    folder = _scratch()
    run_compare(entries, folder, plots=False, **options)

    def replay(target: Path) -> None:
        run_compare(entries, target, plots=True, **options)

    return Comparison(
        labels=labels,
        table=pd.read_csv(folder / "compare.csv"),
        runs={label: pd.read_csv(folder / label / "runs.csv") for label in labels},
        summary=json.loads((folder / "summary.json").read_text())
        if (folder / "summary.json").exists()
        else {},
        _folder=folder,
        _replay=replay,
    )


@dataclass
class SweepResult(_Replayable):
    """A scenario played over a grid of values (every point on the same seeds)."""

    table: Any
    """sweep.csv: one row per point and run, with the swept values and every outcome."""
    summary_table: Any
    """sweep_summary.csv: per point and outcome, mean, sd and percentiles."""
    summary: dict[str, Any]
    _folder: Path = field(repr=False)
    _replay: Any = field(repr=False)


def sweep(
    scenario: str | Path,
    values: Mapping[str, Sequence[Any]],
    *,
    runs: int = 100,
    seed: int = DEFAULT_SEED,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    workers: int | None = None,
    progress: bool = True,
) -> SweepResult:
    """Play every combination of `values` ({dotted path: [values]}), as `--sweep` does."""
    import pandas as pd

    from sim.cli import main

    arguments = [str(scenario), "--runs", str(runs), "--seed", str(seed)]
    arguments += ["--workers", str(workers or default_workers())]
    for assignment in overrides_of(overrides):
        arguments += ["--set", assignment]
    for path, choices in values.items():
        arguments += ["--sweep", f"{path}=" + ",".join(yaml_text(_plain(v)) for v in choices)]
    quiet = [] if progress else ["--quiet"]

    def play(target: Path, plots: bool) -> None:
        extra = [] if plots else ["--no-plots"]
        code = main([*arguments, *extra, *quiet, "--force", "--out", str(target)])
        if code != 0:
            from sim.errors import Problem, UserInputError

            raise UserInputError(Problem(f"the sweep stopped (exit code {code})", file=str(scenario)))

    folder = _scratch()
    play(folder, plots=False)
    return SweepResult(
        table=pd.read_csv(folder / "sweep.csv"),
        summary_table=pd.read_csv(folder / "sweep_summary.csv"),
        summary=json.loads((folder / "summary.json").read_text()),
        _folder=folder,
        _replay=lambda target: play(target, plots=True),
    )
