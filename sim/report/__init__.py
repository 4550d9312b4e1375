"""What a study or an analysis shows: its figures (PNG) and its page (`report.html`).

- `style`: colours, metric labels and units, number formatting, the lists of headline
  outcomes; no matplotlib, so the command line can import it and stay fast;
- `canvas`: new axes and figures, `save_figure` (PNG, atomic);
- `maps`: the base map (hexes, border, rivers, roads, names, scale), shared with the app;
- `figures`: a study's distributions and time series, and `make_all_plots`;
- `map_figures`: a study's maps (control, cut-off, jamming, the scenario map);
- `analysis_figures`: the figures of comparisons, sweeps and sensitivity studies;
- `html`: the page skeleton and its pieces (CSS, escaping, figures, tables, intervals);
- `study_page`: the study report (`write_report`);
- `compare_page`, `sweep_page`, `sensitivity_page`: each analysis's figures, captions and
  page (`make_*_plots`, `write_*_report`); `parameters`: what those pages read of the
  parameters an analysis varies.

Nothing here imports `sim.analysis`, the model or the command line: they call in.
"""
