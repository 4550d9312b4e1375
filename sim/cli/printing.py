"""What the command line prints once a command is done: the summary of a study, a comparison,
a sweep or a sensitivity study, where its outputs are, and the `ok:` line of --validate.
"""

from __future__ import annotations

import math
from pathlib import Path


def ok_line(path: Path, loaded, extra: str = "") -> str:
    """What --validate says of a good scenario file."""
    spec = loaded.spec
    return (
        f"ok: {path}: '{spec.name}', {len(spec.forces)} units, {spec.turn_count} turns of "
        f"{spec.turn_hours:g} h, map '{loaded.map.name}' ({len(loaded.map.settlements)} settlements){extra}"
    )


def print_summary(result) -> None:
    """A study: the headline outcomes' medians and spreads, and who holds the objectives."""
    s = result.summary
    print(
        f"\n{s['scenario']['name']}: {s['runs_completed']} runs in {s['wall_time_s']:.1f} s "
        f"(seed {s['seed']}, {s['workers']} workers)"
    )
    from sim.report.style import MAIN_OUTCOMES

    never = []
    for key, label in MAIN_OUTCOMES.items():
        m = s["metrics"].get(key)
        if not m:
            continue
        if m["p5"] == m["p95"] == 0 and m.get("mean", 0) == 0:
            never.append(label)  # none in any run (the tutorial has no North Korean troops)
            continue
        print(
            f"  {label:<34} median {m['p50']:>8,.0f} {m['unit']:<7}"
            f"(90 % of runs: {m['p5']:,.0f} to {m['p95']:,.0f})"
        )
    if never:
        print(f"  none in any run: {', '.join(never)}")
    objectives = s["objectives"]
    if objectives:
        main = max(objectives.values(), key=lambda o: o.get("value", 0))
        contested = sorted(
            (o for o in objectives.values() if 0.05 <= o["p_ua_holds"] <= 0.95 and o is not main),
            key=lambda o: -o["p_ua_holds"],
        )
        line = f"  chance that Ukraine holds {main['name']} at the end: {main['p_ua_holds']:.0%}"
        if contested:
            line += "; contested: " + ", ".join(f"{o['name']} {o['p_ua_holds']:.0%}" for o in contested[:6])
        print(line)
    if s.get("inputs"):
        n = len(s["inputs"])
        print(f"  {n} uncertain input{'s' if n > 1 else ''} drawn for each run (summary.json lists them)")
    for key, split in s.get("spread", {}).get("outcomes", {}).items():
        if "variance" in split and split["variance"] > 0:
            label = MAIN_OUTCOMES.get(key, key)
            print(
                f"  spread of {label}: {split['inputs_share']:.0%} from the uncertain inputs, "
                f"{1 - split['inputs_share']:.0%} the model's own dice "
                f"({split['draws']} draws x {split['runs_per_draw']} runs)"
            )
    precision = s.get("precision")
    if precision:
        for key, w in precision["outcomes"].items():
            print(
                f"  precision of the mean {key}: 95 % interval {w['width']:.3g} wide after "
                f"{precision['runs']} runs (target {w['target']:g})"
            )
        if not precision["met"]:
            print(f"  the target was not met within {precision['runs_allowed']} runs: raise --runs")


def print_calibration(result) -> None:
    """A calibration: how the tolerance fell, each input's posterior, the held-out checks."""
    cal = result.calibration
    last = cal.generations[-1]
    print(
        f"\nCalibrated to {len(cal.targets)} reported figures: {len(cal.generations)} generations, "
        f"{sum(g.simulations for g in cal.generations):,} runs; final tolerance {last.tolerance:.2f} "
        f"(median distance {float(sorted(last.distances)[len(last.distances) // 2]):.2f} half-bands; "
        f"{last.effective_size:.0f} effective particles of {len(last.weights)})"
    )
    for row in result.posterior:
        print(
            f"  {row['name']:<44} posterior median {row['p50']:>10,.4g}  (90 %: {row['p5']:,.4g} to "
            f"{row['p95']:,.4g}; prior {row['prior_low']:,.4g} to {row['prior_high']:,.4g})"
        )
    for item in (result.predictive or {}).get("reported", []):
        if item.get("kind") == "figure" and item.get("holdout"):
            verdict = "inside" if item["median_inside_band"] else "OUTSIDE"
            print(
                f"  held-out check {item['metric']} {item['date']}: reported {item['value']:g} "
                f"({item['low']:g}-{item['high']:g}), posterior median {item['model_p50']:.0f}: {verdict}"
            )


def print_outputs(out_dir: Path) -> None:
    """Where the outputs are, and the report to open if one was written."""
    report = out_dir / "report.html"
    print(f"Outputs in {out_dir}/" + (f" (open {report})" if report.exists() else ""))


def _signed(value: float, decimals: int) -> str:
    """With its sign; a value that rounds to zero shows as +0, never -0."""
    text = f"{value:+,.{decimals}f}"
    return text.replace("-", "+", 1) if float(text.replace(",", "")) == 0 else text


def print_compare(table, labels: list[str]) -> None:
    """A comparison: each headline outcome's change from the first scenario, with its interval."""
    print(f"\nChange from {labels[0]} (mean, with its 95 % interval; same seeds; * = beyond the noise):")
    from sim.report.style import MAIN_OUTCOMES

    for key, label in MAIN_OUTCOMES.items():
        rows = table[table["metric"] == key].set_index("scenario")
        if rows.empty:
            continue
        unit = rows["unit"].iloc[0]
        parts = [f"{labels[0]} median {rows.loc[labels[0], 'median']:,.0f}"]
        for other in labels[1:]:
            r = rows.loc[other]
            size = max(abs(r["diff_mean_low"]), abs(r["diff_mean_high"]), abs(r["diff_mean"]))
            d = 1 if math.isfinite(size) and size < 10 else 0
            text = f"{other} {_signed(r['diff_mean'], d)}"
            if math.isfinite(r["diff_mean_low"]):
                text += f" ({_signed(r['diff_mean_low'], d)} to {_signed(r['diff_mean_high'], d)})"
                if r["diff_mean_low"] > 0 or r["diff_mean_high"] < 0:
                    text += " *"
            parts.append(text)
        print(f"  {label:<34} {unit:<7} " + "; ".join(parts))


def print_sweep(summary, sweeps, metric: str, wall: float) -> None:
    """A sweep: one metric's median and spread at each design point (the first 40)."""
    from sim.report.style import metric_label

    rows = summary[summary["metric"] == metric]
    if rows.empty:
        return
    print(f"\n{len(rows)} points in {wall:.1f} s; {metric_label(metric)}: median (90 % of runs)")
    for _, r in rows.head(40).iterrows():
        values = ", ".join(f"{s.path}={r[s.path]}" for s in sweeps)
        print(f"  {values:<60} {r['p50']:>10,.1f}  ({r['p5']:,.1f} to {r['p95']:,.1f})")
    if len(rows) > 40:
        print(f"  ... {len(rows) - 40} more in sweep_summary.csv")


def print_ranking(result) -> None:
    """A sensitivity study: the parameters ranked by their swing, then the global ranking if any."""
    t = result.tornado
    if len(t):
        main = t["metric"].iloc[0]
        rows = t[t["metric"] == main]
        unit = rows["unit"].iloc[0]
        print(
            f"\nParameters ranked by influence on {main} (one at a time: mean at the high end minus "
            "mean at the low end, 95 % interval):"
        )
        for _, r in rows.iterrows():
            interval = (
                f"({r['swing_low']:+,.1f} to {r['swing_high']:+,.1f})"
                if math.isfinite(r["swing_low"])
                else ""
            )
            flag = "" if r["distinguishable"] else "  within the noise"
            print(f"  {int(r['rank']):>2}. {r['parameter']:<45} {r['swing']:>+9,.1f} {unit} {interval}{flag}")
    g = result.global_table
    if len(g):
        main = g["metric"].iloc[0]
        rows = g[g["metric"] == main]
        score = "mu_star" if "mu_star" in rows else "ST"
        print(
            f"Global ranking ({score}): "
            + ", ".join(f"{r['parameter']} {r[score]:.3g}" for _, r in rows.iterrows())
        )
