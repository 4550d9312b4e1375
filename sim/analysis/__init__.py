"""The analysis tools: compare scenarios, sweep parameters, rank their influence.

- `compare.run_compare`: two or more scenarios on common random numbers, with the
  differences in means and medians and their bootstrap intervals;
- `sweep.run_sweep`: a grid or Latin hypercube of scenario variants;
- `sensitivity.run_sensitivity`: a one-at-a-time tornado and, when asked,
  Morris or Sobol indices (SALib);
- `design`: parameter paths, design points and their validation (before any run);
- `execute.run_points`: playing a design through `sim.replications.run_batch`;
- `stats`: paired bootstrap.

Their figures and pages are made by `sim.report` (`compare_page`, `sweep_page`,
`sensitivity_page`); no HTML is written here.

See docs/analysis.md.
"""

from sim.analysis.compare import run_compare
from sim.analysis.sensitivity import run_sensitivity
from sim.analysis.sweep import run_sweep

__all__ = ["run_compare", "run_sensitivity", "run_sweep"]
