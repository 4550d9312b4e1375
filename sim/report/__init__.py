"""What a study or an analysis shows: its figures (PNG) and its page (`report.html`).

- `style`: colours, metric labels and units, number formatting, the lists of headline
  outcomes; no matplotlib, so the command line can import it and stay fast;
- `canvas`: new axes and figures, `save_figure` (PNG, atomic);
- `maps`: the base map (hexes, border, rivers, roads, names, scale), shared with the app;
- `figures`: a study's distributions and time series, and `make_all_plots`;
- `map_figures`: a study's maps (control, cut-off, jamming, the scenario map);
- `analysis_figures`: the figures of comparisons, sweeps and sensitivity studies;
- `html`: the page skeleton and its pieces (CSS, escaping, figures, tables, intervals);
- `study_page`: the study report (`write_report`).
"""
