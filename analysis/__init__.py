"""Analysis of stored results: statistics, phase-diagram and threshold tables, figures, summaries.

Reads ``results/<experiment>/`` (``runs.csv`` and ``manifest.json``) and nothing else: it never
imports or runs the model, so every figure can be regenerated from the stored table alone.

* :mod:`analysis.results` -- read a results folder;
* :mod:`analysis.statistics` -- means with 95 % intervals, paired differences between structures;
* :mod:`analysis.phase` -- phase-diagram tables (Δ collective − hub-and-spoke over two factors);
* :mod:`analysis.thresholds` -- the stable flag recomputed under other thresholds and definitions;
* :mod:`analysis.figures` -- the figures; :mod:`analysis.tables` -- Markdown tables;
* :mod:`analysis.figure_set` -- every figure and table of one folder (``python run.py figures``).
"""
