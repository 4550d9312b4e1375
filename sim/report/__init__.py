"""What a study or an analysis shows: its figures (PNG) and its page (`report.html`).

- `style`: colours, metric labels and units, number formatting, the lists of headline
  outcomes; no matplotlib, so the command line can import it and stay fast;
- `html`: the page skeleton and its pieces (CSS, escaping, figures, tables, intervals);
- `study_page`: the study report (`write_report`);
- `compare_page`, `sweep_page`, `sensitivity_page`: each analysis's figures and page.
"""
