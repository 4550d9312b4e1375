"""Calibration: fit a scenario's uncertain inputs to what was reported, by ABC-SMC.

Approximate Bayesian computation with sequential Monte Carlo (Toni et al., "Approximate
Bayesian computation scheme for parameter inference and model selection in dynamical
systems", *J. R. Soc. Interface* 6, 2009; the adaptive kernel of Beaumont et al.,
"Adaptive approximate Bayesian computation", *Biometrika* 96(4), 2009):

1. generation 0 draws `population` particles from the prior (the scenario's
   distributions) and plays one run of each;
2. each later generation's tolerance is the median distance of the one before; a
   proposal picks a particle by weight and moves it with a Gaussian kernel of twice the
   population's weighted covariance; it is played, and kept if its distance is within
   the tolerance, until `population` particles are kept;
3. a kept particle's weight is prior / sum_j w_j K(theta | theta_j).

The particles live in the inputs' probability space (u = F(x), each prior uniform on
[0, 1]), so inputs of every scale and distribution share one kernel and the prior density
is 1 inside the unit cube. The distance is the root mean square, over the scenario's
reported figures (not places, not `holdout: true` ones), of (model - reported) / half
the reported band, each at its date.

Why not a library: pyabc keeps its populations in a database and runs its own samplers,
while here every simulation must go through the project's own batch runner (same seeds,
same workers, Ctrl-C keeps what finished) and the generations must stream to the output
folder so that a stopped calibration resumes. The loop above is short.

Every proposal k of generation t has its own random stream and its own run seed spawned
from the master seed, so a calibration is reproducible for a seed whatever `--workers` is.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri

from sim.output import atomic_write_json, atomic_write_text, csv_text
from sim.replications import Job, RunResult, run_batch
from sim.scenario.loaded import LoadedScenario
from sim.scenario.yamlio import dump_yaml

CALIBRATION_STREAM = 31_337
"""First word of the spawn keys of the calibration's own streams."""


@dataclass(frozen=True)
class Target:
    metric: str
    turn: int
    value: float
    half_band: float
    label: str


@dataclass
class Generation:
    index: int
    tolerance: float
    particles: np.ndarray
    """(population, inputs) in probability space."""
    weights: np.ndarray
    distances: np.ndarray
    simulations: int

    @property
    def acceptance(self) -> float:
        return len(self.weights) / max(self.simulations, 1)

    @property
    def effective_size(self) -> float:
        """Kish's effective sample size of the weighted population, 1 / sum w²: how many equal
        particles it is worth (a few heavy particles make a rough posterior)."""
        w = self.weights / self.weights.sum()
        return float(1.0 / np.sum(w * w))


@dataclass
class Calibration:
    scenario: LoadedScenario
    names: list[str]
    targets: list[Target]
    generations: list[Generation] = field(default_factory=list)
    interrupted: bool = False

    def values(self, u: np.ndarray) -> list[dict[str, float]]:
        """Each particle's input values (the quantile of each prior at its u)."""
        by_name = {item.name: item for item in self.scenario.inputs}
        return [{n: by_name[n].value(float(row[j])) for j, n in enumerate(self.names)} for row in u]


def targets_of(loaded: LoadedScenario) -> list[Target]:
    """The reported figures the calibration fits: dated, with a band, not held out."""
    from sim.study import report_turn

    spec = loaded.spec
    out = []
    for item in spec.reported:
        if item.is_place or item.holdout:
            continue
        half = max((item.high - item.low) / 2, 1e-9)
        when = str(item.date) if item.date else f"turn {report_turn(spec, item)}"
        out.append(Target(item.metric, report_turn(spec, item), item.value, half, f"{item.metric} {when}"))
    return out


def model_values(result: RunResult, targets: list[Target], turns: int) -> np.ndarray:
    """A run's value of each target at its date (the end-of-run value for the end)."""
    out = []
    for t in targets:
        series = result.timeseries.get(t.metric)
        if series is not None and t.turn < len(series) and t.turn < turns:
            out.append(float(series[t.turn]))
        else:
            out.append(float(result.outcomes.get(t.metric, math.nan)))
    return np.array(out)


def distance(values: np.ndarray, targets: list[Target]) -> float:
    """Root mean square of the misses in units of half each reported band."""
    scaled = [(v - t.value) / t.half_band for v, t in zip(values, targets, strict=True)]
    return float(np.sqrt(np.nanmean(np.square(scaled))))


def _seed(master: int, generation: int, k: int, part: int) -> int:
    seq = np.random.SeedSequence(master, spawn_key=(CALIBRATION_STREAM, generation, k, part))
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def _rng(master: int, generation: int, k: int) -> np.random.Generator:
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(master, spawn_key=(CALIBRATION_STREAM, generation, k, 0)))
    )


def _kernel_cov(gen: Generation) -> np.ndarray:
    """Twice the weighted covariance of the population in the probit space (Beaumont et al. 2009)."""
    z = ndtri(np.clip(gen.particles, 1e-9, 1 - 1e-9))
    cov = np.atleast_2d(np.cov(z.T, aweights=gen.weights))
    return 2.0 * cov + 1e-9 * np.eye(cov.shape[0])


def _propose(gen: Generation, cov: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A particle picked by weight, moved in probit space: never outside the unit cube."""
    j = rng.choice(len(gen.weights), p=gen.weights / gen.weights.sum())
    z = ndtri(np.clip(gen.particles[j], 1e-9, 1 - 1e-9))
    return ndtr(rng.multivariate_normal(z, cov))


def _weights(new: np.ndarray, gen: Generation, cov: np.ndarray) -> np.ndarray:
    """prior(theta) / sum_j w_j K(theta | theta_j), in probit space (the prior: a normal density)."""
    z_new = ndtri(np.clip(new, 1e-9, 1 - 1e-9))
    z_old = ndtri(np.clip(gen.particles, 1e-9, 1 - 1e-9))
    inv = np.linalg.inv(cov)
    diff = z_new[:, None, :] - z_old[None, :, :]
    kernel = np.exp(-0.5 * np.einsum("ijk,kl,ijl->ij", diff, inv, diff))
    prior = np.exp(-0.5 * (z_new**2).sum(axis=1))
    w = prior / np.maximum(kernel @ (gen.weights / gen.weights.sum()), 1e-300)
    return w / w.sum()


def calibrate(
    loaded: LoadedScenario,
    out_dir: Path,
    *,
    population: int,
    generations: int,
    seed: int,
    workers: int,
    progress: bool = True,
    resume: bool = False,
) -> Calibration:
    """Run ABC-SMC, writing each finished generation to `out_dir/generations/` (see the module docstring)."""
    targets = targets_of(loaded)
    names = [item.name for item in loaded.inputs]
    cal = Calibration(loaded, names, targets)
    folder = out_dir / "generations"
    folder.mkdir(parents=True, exist_ok=True)
    if resume:
        cal.generations = _read_generations(folder, names, _settings(loaded, population, seed))
    atomic_write_json(out_dir / "calibration.json", _settings(loaded, population, seed))
    turns = loaded.spec.turn_count
    while len(cal.generations) < generations:
        t = len(cal.generations)
        previous = cal.generations[-1] if cal.generations else None
        tolerance = math.inf if previous is None else float(np.median(previous.distances))
        cov = _kernel_cov(previous) if previous is not None else None
        kept_u, kept_d, tried = [], [], 0
        bar = _bar(progress, population, f"generation {t + 1} of {generations}")
        try:
            while len(kept_u) < population:
                batch = population if previous is None else max(workers * 8, population - len(kept_u))
                proposals = []
                for k in range(tried, tried + batch):
                    rng = _rng(seed, t, k)
                    u = rng.random(len(names)) if previous is None else _propose(previous, cov, rng)
                    proposals.append(u)
                jobs = [
                    Job(run=k, seed=_seed(seed, t, k, 1), values=v)
                    for k, v in zip(range(tried, tried + batch), cal.values(np.array(proposals)), strict=True)
                ]
                results: list[RunResult] = []
                status = run_batch(loaded, len(jobs), seed, workers, results.append, jobs=jobs)
                for u, result in zip(proposals, results, strict=False):
                    d = distance(model_values(result, targets, turns), targets)
                    if d <= tolerance and len(kept_u) < population:
                        kept_u.append(u)
                        kept_d.append(d)
                        if bar is not None:
                            bar.update(1)
                tried += len(results)
                if status.interrupted:
                    cal.interrupted = True
                    return cal
        finally:
            if bar is not None:
                bar.close()
        particles = np.array(kept_u)
        weights = (
            np.full(population, 1.0 / population) if previous is None else _weights(particles, previous, cov)
        )
        gen = Generation(t, tolerance, particles, weights, np.array(kept_d), tried)
        cal.generations.append(gen)
        _write_generation(folder, cal, gen)
    return cal


def _bar(progress: bool, total: int, desc: str):
    if not progress:
        return None
    from tqdm.auto import tqdm

    tqdm.monitor_interval = 0
    return tqdm(total=total, unit="particle", desc=desc, dynamic_ncols=True)


def _settings(loaded: LoadedScenario, population: int, seed: int) -> dict[str, Any]:
    return {
        "scenario": loaded.path,
        "sha256": loaded.digest,
        "population": population,
        "seed": seed,
        "inputs": [item.name for item in loaded.inputs],
        "targets": [t.label for t in targets_of(loaded)],
        "method": "ABC-SMC (Toni et al. 2009) with the adaptive kernel of Beaumont et al. 2009",
    }


def _generation_rows(cal: Calibration, gen: Generation) -> tuple[list[str], list[list]]:
    values = cal.values(gen.particles)
    columns = ["generation", "particle", "weight", "distance", *cal.names, *(f"u:{n}" for n in cal.names)]
    rows = [
        [gen.index, i, float(gen.weights[i]), float(gen.distances[i]), *values[i].values(), *gen.particles[i]]
        for i in range(len(gen.weights))
    ]
    return columns, rows


def _write_generation(folder: Path, cal: Calibration, gen: Generation) -> None:
    columns, rows = _generation_rows(cal, gen)
    atomic_write_text(folder / f"generation_{gen.index:02d}.csv", csv_text(columns, rows))
    atomic_write_json(  # the exact state, to resume from (the CSV is for reading)
        folder / f"generation_{gen.index:02d}.json",
        {
            "tolerance": gen.tolerance,
            "simulations": gen.simulations,
            "particles": gen.particles.tolist(),
            "weights": gen.weights.tolist(),
            "distances": gen.distances.tolist(),
        },
    )


def _read_generations(folder: Path, names: list[str], settings: dict) -> list[Generation]:
    """The generations a stopped calibration finished (if it had the same scenario, population and seed)."""
    state = folder.parent / "calibration.json"
    if not state.exists():
        return []
    previous = json.loads(state.read_text())
    if {k: previous.get(k) for k in settings} != settings:
        from sim.errors import Problem, UserInputError

        raise UserInputError(
            Problem(
                "--resume: this folder holds a calibration of another scenario, population or seed",
                file=str(folder.parent),
            )
        )
    out = []
    for index in range(1000):
        csv, meta = folder / f"generation_{index:02d}.csv", folder / f"generation_{index:02d}.json"
        if not (csv.exists() and meta.exists()):
            break
        info = json.loads(meta.read_text())
        out.append(
            Generation(
                index,
                float(info["tolerance"]),
                np.array(info["particles"], dtype=float).reshape(-1, len(names)),
                np.array(info["weights"], dtype=float),
                np.array(info["distances"], dtype=float),
                int(info["simulations"]),
            )
        )
    return out


# --------------------------------------------------------------------------- results


def posterior_csv(cal: Calibration) -> str:
    columns, rows = _generation_rows(cal, cal.generations[-1])
    return csv_text(columns, rows)


def generations_csv(cal: Calibration) -> str:
    rows = [
        [
            g.index,
            g.tolerance,
            g.simulations,
            len(g.weights),
            round(g.acceptance, 4),
            float(np.median(g.distances)),
            round(g.effective_size, 1),
        ]
        for g in cal.generations
    ]
    columns = [
        "generation",
        "tolerance",
        "simulations",
        "kept",
        "acceptance",
        "median_distance",
        "effective_size",
    ]
    return csv_text(columns, rows)


def posterior_summary(cal: Calibration) -> list[dict[str, Any]]:
    """Per input: the prior's support and centre, the weighted posterior mean, sd and 5-95 % range."""
    gen = cal.generations[-1]
    w = gen.weights / gen.weights.sum()
    values = np.array([[v[n] for n in cal.names] for v in cal.values(gen.particles)], dtype=float)
    by_name = {item.name: item for item in cal.scenario.inputs}
    out = []
    for j, name in enumerate(cal.names):
        x = values[:, j]
        order = np.argsort(x)
        cdf = np.cumsum(w[order])
        q = [float(x[order][min(np.searchsorted(cdf, p), len(x) - 1)]) for p in (0.05, 0.5, 0.95)]
        mean = float((w * x).sum())
        prior = by_name[name]
        low, high = prior.distribution.support
        prior_sd = float(np.std(prior.distribution.ppf(np.linspace(0.0005, 0.9995, 2000))))
        out.append(
            {
                "name": name,
                "prior_low": low,
                "prior_high": high,
                "prior_centre": prior.centre,
                "mean": mean,
                "sd": float(np.sqrt((w * (x - mean) ** 2).sum())),
                "p5": q[0],
                "p50": q[1],
                "p95": q[2],
                "narrowing": float(np.sqrt((w * (x - mean) ** 2).sum())) / prior_sd if prior_sd > 0 else 1.0,
            }
        )
    return out


def resample(cal: Calibration, n: int, seed: int) -> list[dict[str, float]]:
    """n input sets drawn from the final population by weight (for the posterior-predictive runs)."""
    gen = cal.generations[-1]
    rng = _rng(seed, 10_000, 0)
    picks = rng.choice(len(gen.weights), size=n, p=gen.weights / gen.weights.sum())
    return cal.values(gen.particles[picks])


def calibrated_yaml(cal: Calibration, out_dir: Path, rows: list[dict[str, Any]]) -> str:
    """A scenario that extends the original with the posterior as its distributions.

    Each input becomes a normal distribution with the posterior's weighted mean and sd, truncated
    to the prior's support. Lists are replaced whole by `extends`, so a list holding an input is
    restated whole (with every input in it at its posterior).
    """
    loaded = cal.scenario
    raw = loaded.raw or {}
    child: dict[str, Any] = {}
    posterior = {r["name"]: r for r in rows}
    fitted = {}
    for item in loaded.inputs:
        r = posterior[item.name]
        low, high = item.distribution.support
        fitted[item.path] = {
            "dist": "normal",
            "mean": round(r["mean"], 6),
            "sd": round(max(r["sd"], (high - low) * 1e-3), 6),
            "low": low,
            "high": high,
            "source": f"posterior of the calibration of {Path(loaded.path).name} to its reported figures "
            f"(ABC-SMC, {len(cal.generations[-1].weights)} particles, {len(cal.generations)} generations)",
        }
    for item in loaded.inputs:
        path = item.path
        list_at = next((i for i, part in enumerate(path) if isinstance(part, int)), None)
        top = path if list_at is None else path[:list_at]
        node = child
        for part in top[:-1]:
            node = node.setdefault(part, {})
        if list_at is None:
            node[top[-1]] = fitted[path]
        elif top[-1] not in node:
            source = raw
            for part in top:
                source = source[part]
            node[top[-1]] = _with_fitted(source, top, fitted)
    reference = os.path.relpath(Path(loaded.path).resolve(), out_dir.resolve())
    header = (
        f"# {loaded.spec.name}, calibrated: the uncertain inputs at their posterior (ABC-SMC).\n"
        f"# Run it with: python run_scenario.py {out_dir / 'calibrated.yaml'}\n"
    )
    return header + dump_yaml({"extends": reference, "name": f"{loaded.spec.name} (calibrated)", **child})


def _with_fitted(node: Any, path: tuple, fitted: dict) -> Any:
    if path in fitted:
        return fitted[path]
    if isinstance(node, dict):
        return {k: _with_fitted(v, (*path, k), fitted) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_fitted(v, (*path, i), fitted) for i, v in enumerate(node)]
    return node


# --------------------------------------------------------------------------- the whole job


@dataclass
class CalibrationResult:
    out_dir: Path
    calibration: Calibration
    posterior: list[dict[str, Any]]
    predictive: dict[str, Any] | None

    @property
    def interrupted(self) -> bool:
        return self.calibration.interrupted


def run_calibration(
    loaded: LoadedScenario,
    out_dir: Path,
    *,
    population: int,
    generations: int,
    seed: int,
    workers: int,
    progress: bool = True,
    plots: bool = True,
    resume: bool = False,
    predictive_runs: int = 100,
) -> CalibrationResult:
    """Calibrate, then write posterior.csv, generations.csv, calibrated.yaml, the plots, a posterior-
    predictive study (`posterior_predictive/`) and report.html."""
    from sim.errors import Problem, UserInputError

    if not loaded.inputs:
        raise UserInputError(
            Problem(
                "calibrate needs uncertain inputs: give the fields to fit as distributions, "
                "e.g. personnel: {dist: triangular, low: 1800, mode: 2200, high: 2600}",
                file=loaded.path,
            )
        )
    if not targets_of(loaded):
        raise UserInputError(
            Problem(
                "calibrate needs reported figures (reported: with metric, value, low, high)", file=loaded.path
            )
        )
    cal = calibrate(
        loaded,
        out_dir,
        population=population,
        generations=generations,
        seed=seed,
        workers=workers,
        progress=progress,
        resume=resume,
    )
    if not cal.generations:
        return CalibrationResult(out_dir, cal, [], None)
    rows = posterior_summary(cal)
    atomic_write_text(out_dir / "posterior.csv", posterior_csv(cal))
    atomic_write_text(out_dir / "generations.csv", generations_csv(cal))
    atomic_write_text(out_dir / "calibrated.yaml", calibrated_yaml(cal, out_dir, rows))
    atomic_write_json(
        out_dir / "posterior.json", {"inputs": rows, "settings": _settings(loaded, population, seed)}
    )
    if cal.interrupted:
        return CalibrationResult(out_dir, cal, rows, None)
    from sim.study import run_study

    folder = out_dir / "posterior_predictive"
    folder.mkdir(exist_ok=True)
    study = run_study(
        loaded,
        folder,
        runs=predictive_runs,
        seed=seed,
        workers=workers,
        progress=progress,
        plots=plots,
        values=resample(cal, predictive_runs, seed),
    )
    predictive = {
        "reported": study.summary.get("reported", []),
        "plots": {"area_fan_chart": folder / "plots" / "area_fan_chart.png"} if plots else {},
    }
    if plots:
        from sim.report.calibration_page import draw_figures, write_calibration_report

        gen = cal.generations[-1]
        values = np.array([[v[n] for n in cal.names] for v in cal.values(gen.particles)], dtype=float)
        grid = np.linspace(0.0025, 0.9975, 400)
        by_name = {item.name: item for item in loaded.inputs}
        prior_samples = [by_name[n].distribution.ppf(grid) for n in cal.names]
        order = list(np.argsort([r["narrowing"] for r in rows]))
        figures = draw_figures(out_dir, rows, prior_samples, values, gen.weights, cal.names, order)
        generations_rows = [
            {
                "generation": g.index,
                "tolerance": g.tolerance,
                "simulations": g.simulations,
                "acceptance": g.acceptance,
                "median_distance": float(np.median(g.distances)),
                "effective_size": g.effective_size,
            }
            for g in cal.generations
        ]
        write_calibration_report(
            out_dir, _settings(loaded, population, seed), generations_rows, rows, figures, predictive
        )
    return CalibrationResult(out_dir, cal, rows, predictive)
