"""Sensitivity analysis: which parameters move the outcome most.

    run_scenario.py S.yaml --sensitivity                          # the default parameters below
    run_scenario.py S.yaml --sensitivity parameters.combat.intensity=1:4,sides.RU.doctrine.attack_tempo
    run_scenario.py S.yaml --sensitivity --global morris --samples 10

**One at a time (always).** The scenario as written (the base), then each
parameter alone at the low and at the high end of its range, every point played
with the same per-run seeds. The tornado chart shows the main outcome's mean at
each end; whiskers are paired bootstrap 95 % intervals of the change from the
base. Parameters are ranked by the size of their swing, mean(high) - mean(low); a
swing whose interval holds 0 is not told apart from the randomness of the runs.

**Global (when asked).** `--global morris` (Morris elementary effects, ranked by
mu*) or `--global sobol` (Sobol first-order and total indices, ranked by ST),
sampled and analysed with SALib, every parameter varying at once over its range.
The model output at each point is the mean of the outcome over the runs
(common random numbers keep the noise of different points alike).

**Ranges.** `PATH=LO:HI` gives a range; a bare `PATH` varies the parameter by
±50 % (`SPAN`) of its value in the scenario, clipped to the valid range the
schema declares (a value of 0 uses the whole valid range). The parameters come
from the command line; with none, `DEFAULT_PARAMETERS`.

Outputs: `sensitivity.csv` (one row per design point and run), `tornado.csv`,
`morris.csv` or `sobol.csv` (ranked), `summary.json`, and the plots and
`report.html` of `sim.report.sensitivity_page`. Asked for, `points_timeseries.csv`
(one row per point, run and turn), and beside the global results the files SALib's
own command line reads (`write_salib_files`): `<method>_problem.txt`, `<method>_X.txt`
(the sampled matrix, a row per point) and `<method>_Y.txt` (the mean of each outcome
over the point's runs, a column per outcome).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.design import (
    BOOTSTRAP_STREAM,
    MORRIS_STREAM,
    SOBOL_STREAM,
    DesignPoint,
    LoadedPoint,
    ParamField,
    design_rng,
    points_from_matrix,
    require_numeric,
    resolve_field,
    salib_problem,
)
from sim.analysis.execute import DesignStatus, design_provenance, run_points
from sim.analysis.stats import paired_difference
from sim.errors import Problem, UserInputError
from sim.output import atomic_write_json, atomic_write_text, csv_text
from sim.replications import WorkersLost
from sim.report.style import SENSITIVITY_METRICS, metric_unit
from sim.scenario.loaded import LoadedScenario
from sim.scenario.yamlio import parse_yaml
from sim.study import resolved_yaml

DEFAULT_PARAMETERS = (
    "parameters.combat.intensity",
    "parameters.combat.breakthrough_ratio",
    "parameters.combat.ratio_exponent",
    "parameters.combat.loss_noise",
    "parameters.combat.zoc_share",
    "parameters.morale.loss_sensitivity",
    "parameters.morale.break_threshold",
    "parameters.detection.range_km",
    "sides.RU.doctrine.attack_tempo",
    "sides.RU.doctrine.assault_commitment",
    "sides.UA.recon_effort",
    "sides.RU.recon_effort",
)
"""Parameters varied by a bare `--sensitivity`: the combat, morale, detection and doctrine
numbers that docs/model.md names as calibrated or assumed."""

SPAN = 0.5
"""A bare parameter varies from (1 - SPAN) to (1 + SPAN) times its scenario value."""

MORRIS_LEVELS = 4
DEFAULT_SAMPLES = {"morris": 10, "sobol": 32}


@dataclass(frozen=True)
class Factor:
    """A parameter to vary and its range."""

    field: ParamField
    low: float
    high: float
    label: str

    @property
    def path(self) -> str:
        return self.field.path


def _rounded(f: ParamField, value: float) -> float | int:
    return round(float(value)) if f.kind == "integer" else float(round(value, 12))


def default_range(f: ParamField, label: str) -> tuple[float, float]:
    """±SPAN of the scenario value, clipped to the field's valid range (the whole range for 0)."""
    v = f.current
    lowest, highest = f.lowest(), f.highest()
    if isinstance(v, int | float) and not isinstance(v, bool) and v != 0:
        lo, hi = sorted((v * (1 - SPAN), v * (1 + SPAN)))
    elif lowest is not None and highest is not None:
        lo, hi = lowest, highest
    else:
        raise UserInputError(
            Problem(
                f"{f.path} is {v!r} in the scenario; give the range to explore as {f.path}=LO:HI", file=label
            )
        )
    if lowest is not None and lo < lowest:
        lo = lowest
    if highest is not None and hi > highest:
        hi = highest
    if "gt" in f.bounds and lo <= f.bounds["gt"]:
        lo = (f.bounds["gt"] + (v if isinstance(v, int | float) else hi)) / 2
    if "lt" in f.bounds and hi >= f.bounds["lt"]:
        hi = (f.bounds["lt"] + (v if isinstance(v, int | float) else lo)) / 2
    lo, hi = _rounded(f, lo), _rounded(f, hi)
    if not lo < hi:
        raise UserInputError(
            Problem(f"the default range of {f.path} is empty; give it as {f.path}=LO:HI", file=label)
        )
    return lo, hi


def parse_factors(loaded: LoadedScenario, specs: list[str]) -> list[Factor]:
    """Read `--sensitivity` values: comma-separated `PATH` or `PATH=LO:HI`; none means the defaults."""
    items = [item.strip() for spec in specs for item in spec.split(",") if item.strip()]
    if not items:
        items = list(DEFAULT_PARAMETERS)
    factors, problems, seen = [], [], set()
    for item in items:
        label = f"--sensitivity {item}"
        try:
            path, _, span = item.partition("=")
            f = resolve_field(loaded, path, label)
            if f.path in seen:
                raise UserInputError(Problem(f"{f.path} is named twice", file=label))
            seen.add(f.path)
            require_numeric(f, label, "sensitivity analysis")
            if span:
                lo, hi = _parse_span(f, span, label)
            else:
                lo, hi = default_range(f, label)
            factors.append(Factor(f, lo, hi, label))
        except UserInputError as exc:
            problems += exc.problems
    if problems:
        raise UserInputError(problems)
    if len(factors) < 1:
        raise UserInputError(Problem("no parameter to vary", file="--sensitivity"))
    return factors


def _parse_span(f: ParamField, span: str, label: str) -> tuple[float, float]:
    parts = [p.strip() for p in span.split(":")]
    if len(parts) != 2:
        raise UserInputError(Problem("expected PATH=LO:HI, e.g. parameters.combat.intensity=1:4", file=label))
    bounds = []
    for text in parts:
        value, _ = parse_yaml(text, label) if text else (None, None)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise UserInputError(Problem(f"{text!r} is not a number", file=label))
        if not f.within(value):
            raise UserInputError(
                Problem(
                    f"{text} is outside the valid range of {f.path}: {f.range_text()}"
                    + (f" ({f.unit})" if f.unit else ""),
                    file=label,
                )
            )
        bounds.append(_rounded(f, value))
    lo, hi = bounds
    if not lo < hi:
        raise UserInputError(Problem(f"expected LO < HI, got {parts[0]} and {parts[1]}", file=label))
    return lo, hi


# --------------------------------------------------------------------------- designs


def oat_design(factors: list[Factor]) -> list[DesignPoint]:
    """Point 0: the scenario as written; then each factor at its low end and at its high end."""
    from sim.scenario.dotted import yaml_text

    points = [DesignPoint(0, {}, (), {}, "base")]
    for i, factor in enumerate(factors):
        for j, (end, value) in enumerate((("low", factor.low), ("high", factor.high))):
            override = f"{factor.path}={yaml_text(value)}"
            points.append(
                DesignPoint(
                    1 + 2 * i + j,
                    {factor.path: value},
                    (override,),
                    {override: factor.label},
                    f"{factor.path} {end}",
                )
            )
    return points


def global_design(
    factors: list[Factor], method: str, samples: int, seed: int, start: int
) -> tuple[list[DesignPoint], np.ndarray]:
    """SALib's Morris trajectories or Saltelli/Sobol sample over the factors' ranges."""
    problem = salib_problem([(f.field, f.low, f.high) for f in factors])
    if method == "morris":
        from SALib.sample import morris

        if len(factors) < 2:
            raise UserInputError(
                Problem("Morris screening needs at least two parameters", file="--global morris")
            )
        matrix = morris.sample(
            problem, samples, num_levels=MORRIS_LEVELS, seed=design_rng(seed, MORRIS_STREAM)
        )
    elif method == "sobol":
        from SALib.sample import sobol

        if samples & (samples - 1):
            raise UserInputError(
                Problem(
                    f"Sobol sampling needs a power of two, e.g. 32 or 64; got {samples}", file="--samples"
                )
            )
        matrix = sobol.sample(problem, samples, calc_second_order=False, seed=design_rng(seed, SOBOL_STREAM))
    else:
        raise UserInputError(Problem(f"unknown method {method!r}; expected morris or sobol", file="--global"))
    ranges = [(f.field, f.low, f.high) for f in factors]
    points = points_from_matrix(ranges, matrix, [f.label for f in factors], start=start, tag=method)
    return points, matrix


# --------------------------------------------------------------------------- analysis


def tornado_table(df: pd.DataFrame, factors: list[Factor], metric: str, seed: int) -> pd.DataFrame:
    """One row per factor: the metric's mean at each end, changes from the base with 95 % intervals, rank."""
    rng = design_rng(seed, BOOTSTRAP_STREAM)
    by_point = {p: g.sort_values("run") for p, g in df[df["design"] == "oat"].groupby("point")}
    rows = []
    if 0 not in by_point or metric not in df:
        return pd.DataFrame()
    base = by_point[0]
    for i, factor in enumerate(factors):
        low, high = by_point.get(1 + 2 * i), by_point.get(2 + 2 * i)
        if low is None or high is None:
            continue
        runs = sorted(set(base["run"]) & set(low["run"]) & set(high["run"]))

        def values(frame, runs=runs):
            return frame.set_index("run").loc[runs, metric].to_numpy(float)

        b, lo, hi = values(base), values(low), values(high)
        d_low = paired_difference(b, lo, "mean", rng)
        d_high = paired_difference(b, hi, "mean", rng)
        swing = paired_difference(lo, hi, "mean", rng)
        rows.append(
            {
                "metric": metric,
                "unit": metric_unit(metric),
                "parameter": factor.path,
                "parameter_unit": factor.field.unit or "",
                "label": factor.path,
                "scenario_value": factor.field.current,
                "low": factor.low,
                "high": factor.high,
                "runs": len(runs),
                "mean_low": float(lo.mean()),
                "mean_base": float(b.mean()),
                "mean_high": float(hi.mean()),
                "diff_low": d_low.estimate,
                "diff_low_low": d_low.low,
                "diff_low_high": d_low.high,
                "diff_high": d_high.estimate,
                "diff_high_low": d_high.low,
                "diff_high_high": d_high.high,
                "swing": swing.estimate,
                "swing_low": swing.low,
                "swing_high": swing.high,
                "distinguishable": bool(np.isfinite(swing.low) and (swing.low > 0 or swing.high < 0)),
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["influence"] = table["swing"].abs()
    table = table.sort_values("influence", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def _point_means(df: pd.DataFrame, method: str, metric: str) -> np.ndarray:
    rows = df[df["design"] == method]
    return rows.groupby("point", sort=True)[metric].mean().to_numpy(float)


def morris_table(
    df: pd.DataFrame, factors: list[Factor], matrix: np.ndarray, metric: str, seed: int
) -> pd.DataFrame:
    from SALib.analyze import morris

    problem = salib_problem([(f.field, f.low, f.high) for f in factors])
    y = _point_means(df, "morris", metric)
    if y.size != len(matrix):
        return pd.DataFrame()
    result = morris.analyze(
        problem, matrix, y, num_levels=MORRIS_LEVELS, seed=design_rng(seed, BOOTSTRAP_STREAM + 10)
    )
    table = pd.DataFrame(
        {
            "metric": metric,
            "parameter": list(result["names"]),
            "mu": np.asarray(result["mu"], float),
            "mu_star": np.asarray(result["mu_star"], float),
            "mu_star_conf": np.asarray(result["mu_star_conf"], float),
            "sigma": np.asarray(result["sigma"], float),
        }
    )
    table = table.sort_values("mu_star", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def sobol_table(df: pd.DataFrame, factors: list[Factor], metric: str, seed: int) -> pd.DataFrame:
    from SALib.analyze import sobol

    problem = salib_problem([(f.field, f.low, f.high) for f in factors])
    y = _point_means(df, "sobol", metric)
    if y.size == 0 or y.size % (len(factors) + 2):
        return pd.DataFrame()
    if np.ptp(y) == 0:
        s = np.zeros(len(factors))
        result = {"S1": s, "S1_conf": s, "ST": s, "ST_conf": s}
    else:
        result = sobol.analyze(
            problem, y, calc_second_order=False, seed=design_rng(seed, BOOTSTRAP_STREAM + 20)
        )
    table = pd.DataFrame(
        {
            "metric": metric,
            "parameter": [f.path for f in factors],
            "S1": np.asarray(result["S1"], float),
            "S1_conf": np.asarray(result["S1_conf"], float),
            "ST": np.asarray(result["ST"], float),
            "ST_conf": np.asarray(result["ST_conf"], float),
        }
    )
    table = table.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


# --------------------------------------------------------------------------- study


@dataclass
class SensitivityResult:
    out_dir: Path
    status: DesignStatus
    tornado: pd.DataFrame
    global_table: pd.DataFrame
    wall_time_s: float


def _frame_csv(frame: pd.DataFrame) -> str:
    return csv_text(list(frame.columns), frame.astype(object).where(frame.notna(), "").values.tolist())


def run_sensitivity(
    base: LoadedScenario,
    factors: list[Factor],
    points: list[LoadedPoint],
    out_dir: Path,
    *,
    runs: int,
    seed: int,
    workers: int,
    method: str | None = None,
    matrix: np.ndarray | None = None,
    samples: int | None = None,
    progress: bool = True,
    plots: bool = True,
    metrics: list[str] | None = None,
    overrides: list[str] = (),
    timeseries: bool = False,
    salib: bool = False,
) -> SensitivityResult:
    """Play the one-at-a-time (and global) design, then rank, plot and report."""
    note = "the base of the sensitivity study: each point changes it as sensitivity.csv says"
    atomic_write_text(out_dir / "scenario.resolved.yaml", resolved_yaml(base, note))
    base_values = {f.path: f.field.current for f in factors}
    n_oat = 1 + 2 * len(factors)
    started = time.perf_counter()
    lost: WorkersLost | None = None
    try:
        status = run_points(
            points,
            out_dir / "sensitivity.csv",
            runs=runs,
            seed=seed,
            workers=workers,
            point_columns=lambda lp: {
                "point": lp.point.index,
                "design": "oat" if lp.point.index < n_oat else method,
                "tag": lp.point.tag,
                **{**base_values, **lp.point.values},
            },
            progress=progress,
            description=f"sensitivity {base.spec.name}",
            series_path=out_dir / "points_timeseries.csv" if timeseries else None,
        )
    except WorkersLost as exc:  # what finished is kept; the summary says the study is incomplete
        lost = exc
        status = DesignStatus.after_lost(len(points), runs, exc)
    wall = time.perf_counter() - started
    chosen = list(metrics or SENSITIVITY_METRICS)
    tornado = pd.DataFrame()
    global_table = pd.DataFrame()
    if status.runs_completed:
        df = pd.read_csv(out_dir / "sensitivity.csv")
        chosen = [m for m in chosen if m in df.columns]
        tables = [tornado_table(df, factors, m, seed) for m in chosen]
        tables = [t for t in tables if len(t)]
        if tables:
            tornado = pd.concat(tables, ignore_index=True)
            atomic_write_text(out_dir / "tornado.csv", _frame_csv(tornado))
        if method and not status.interrupted and lost is None and chosen:
            if method == "morris":
                global_table = pd.concat(
                    [morris_table(df, factors, matrix, m, seed) for m in chosen], ignore_index=True
                )
            else:
                global_table = pd.concat(
                    [sobol_table(df, factors, m, seed) for m in chosen], ignore_index=True
                )
            if len(global_table):
                atomic_write_text(out_dir / f"{method}.csv", _frame_csv(global_table))
                if salib:
                    write_salib_files(out_dir, method, factors, matrix, df, chosen)
    main = chosen[0] if chosen else None
    info = {
        "analysis": "sensitivity",
        "main_outcome": main,
        "outcomes": chosen,
        "method": ["one-at-a-time", *([method] if method else [])],
        "samples": samples,
        "parameters": [
            {
                "path": f.path,
                "unit": f.field.unit,
                "scenario_value": f.field.current,
                "low": f.low,
                "high": f.high,
            }
            for f in factors
        ],
        "ranking": _ranking(tornado, global_table, main),
        "points": len(points),
        **design_provenance(base, overrides, seed=seed, runs=runs, status=status, workers=workers, wall=wall),
    }
    if lost is not None:
        info |= status.incomplete(
            "the sensitivity study is incomplete (no global indices: they need every point)"
        )
    atomic_write_json(out_dir / "summary.json", info)
    if lost is not None:
        raise lost
    if plots and main:
        from sim.report.sensitivity_page import make_sensitivity_plots, write_sensitivity_report

        figures = make_sensitivity_plots(out_dir, tornado, global_table, main, method)
        write_sensitivity_report(out_dir, tornado, global_table, figures, info, factors)
    return SensitivityResult(out_dir, status, tornado, global_table, wall)


def write_salib_files(
    out_dir: Path,
    method: str,
    factors: list[Factor],
    matrix: np.ndarray,
    df: pd.DataFrame,
    metrics: list[str],
) -> None:
    """The problem, X and Y text files of SALib's command line (whitespace-separated, `#` comments):
    `salib analyze morris -p morris_problem.txt -X morris_X.txt -Y morris_Y.txt -c 0` redoes the
    analysis of the first outcome (`-c` picks the column of Y)."""

    def table(header: list[str], rows: np.ndarray) -> str:
        lines = [" ".join(repr(float(v)) for v in row) for row in np.atleast_2d(rows)]
        return "# " + " ".join(header) + "\n" + "".join(f"{line}\n" for line in lines)

    problem = "".join(f"{f.path} {float(f.low)!r} {float(f.high)!r}\n" for f in factors)
    atomic_write_text(out_dir / f"{method}_problem.txt", problem)
    atomic_write_text(
        out_dir / f"{method}_X.txt", table([f.path for f in factors], np.asarray(matrix, float))
    )
    y = np.column_stack([_point_means(df, method, m) for m in metrics])
    atomic_write_text(out_dir / f"{method}_Y.txt", table(metrics, y))


def _ranking(tornado: pd.DataFrame, global_table: pd.DataFrame, main: str | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if len(tornado) and main:
        out["one_at_a_time"] = list(tornado.loc[tornado["metric"] == main, "parameter"])
    if len(global_table) and main:
        out["global"] = list(global_table.loc[global_table["metric"] == main, "parameter"])
    return out
