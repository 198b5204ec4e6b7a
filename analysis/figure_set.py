"""The figure set of one results folder: every figure and table, chosen from the experiment's design.

``python run.py figures EXPERIMENT`` calls :func:`make_figures` (the HTML report that gathers the
figure sets of several experiments is :mod:`analysis.html_report`). What is drawn:

* always: ``provenance.json`` (:func:`analysis.results.write_provenance`: what made the figures,
  for the HTML report and the published tables) and ``comparison`` (each headline metric per
  structure with 95 % intervals and the paired difference against hub-and-spoke) -- per scenario
  when the experiment compares scenarios; for a single design point also ``comparison_more``
  (the other run-level metrics) -- and
  ``stable_thresholds`` (how the stability verdict moves with the flag's definition), with the
  summary tables ``summary.md``, ``summary.csv``, ``thresholds.csv`` and ``stable_parts.csv``;
* several scenarios: ``scenarios`` (each metric by scenario and structure; Δ collective − hub);
* a full-factorial design over two numeric factors with both collective and hub-and-spoke:
  ``phase_<x>_<y>`` heatmaps of Δ(collective − hub-and-spoke) for stability, deterrence rate,
  entrapments and exits, and ``phase.csv``;
* a design over categorical factors (e.g. conditional vs automatic obligations): ``by_<factor>``;
* a Latin hypercube or a list of numeric points: ``scatter`` of the per-point Δ against each factor.

Every figure is a PNG and a PDF with a caption sidecar ``<name>.txt``; ``CAPTIONS.md`` lists them.
Nothing here runs the model.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from model.structure import COMPARED

from . import discovery, durations, figures, formation, labels, mechanisms, reliability, tables, threat
from .history import history_table
from .history import sources as history_sources
from .phase import PHASE_METRICS, phase_table
from .results import FIGURES, Results, load, write_provenance
from .statistics import level_differences, paired_differences, summary
from .thresholds import parts_table, threshold_table

SCATTER_MOST = 6
"""Most varied parameters for which a design's per-point scatter is drawn (one panel each)."""
SCENARIO_METRICS = ["stable_cohesive", "stable", "cohesive", "formed", "deterrence_rate", "wars",
                    "entrapments", "exits"]


def _file_part(name: str) -> str:
    """``name`` as part of a file name: letters, digits, ``_`` and ``-`` (``my ring`` -> ``my_ring``)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name)


class _Writer:
    def __init__(self, results: Results):
        self.results = results
        self.folder = results.folder / FIGURES
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files: list[Path] = []
        self.captions: list[tuple[str, str]] = []
        self.sections: list[str] = []
        """Markdown lines for ``summary.md`` from parts drawn for some designs only."""

    def figure(self, figure, name: str, what: str) -> None:
        command = f"python run.py figures {self.results.folder.name}"
        caption = f"{what}\n{self.results.caption()}\nRegenerate: {command}"
        self.files += figures.save(figure, self.folder, name, caption)
        self.captions.append((name, caption))

    def csv(self, frame: pd.DataFrame, name: str) -> None:
        path = self.folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        self.files.append(path)


def _numeric_factors(results: Results) -> list[str]:
    info = results.design.get("factor_info", {})
    return [f for f in results.design.get("factors", [])
            if f in results.runs and info.get(f, {}).get("kind", "real") != "categorical"]


def _categorical_factors(results: Results) -> list[str]:
    info = results.design.get("factor_info", {})
    return [f for f in results.design.get("factors", [])
            if f in results.runs and info.get(f, {}).get("kind") == "categorical"]


def make_figures(folder: str | Path) -> list[Path]:
    """Write every figure and table for the results in ``folder``; return the files written."""
    from .sensitivity import is_study

    if is_study(folder):  # written by 'python run.py sensitivity': indices, not sweep figures
        from .sensitivity_figures import make_figures as sensitivity_report

        return sensitivity_report(folder)
    results = load(folder)
    out = _Writer(results)
    _comparison_figures(results, out)
    phase_frame = _design_figures(results, out)
    _time_figures(results, out)
    extra = _stability_reliability_and_history(results, out)
    thresholds, parts = _threshold_figures(results, out)
    _tables(results, out, thresholds, parts, phase_frame, extra)
    out.files.append(write_provenance(results, results.caption()))
    return out.files


def _comparison_figures(results: Results, out: _Writer) -> None:
    """Metrics by structure: per scenario, across scenarios, and the further metrics."""
    runs = results.runs
    scenarios = results.scenarios
    if len(scenarios) > 1:
        out.figure(figures.by_group(
            results, "scenario", SCENARIO_METRICS,
            f"{results.name}: run-level metrics by scenario and structure (means, 95 % CI; bottom: "
            "paired Δ collective − hub-and-spoke)", "scenario"),
            "scenarios", "Each metric by scenario and alliance structure (mean, 95 % CI); bottom row: "
            "paired difference collective − hub-and-spoke per scenario (95 % CI).")
    for scenario in scenarios:
        name = labels.scenario_label(results, scenario)
        suffix = f"_{_file_part(name)}" if len(scenarios) > 1 else ""
        part = runs[runs["scenario"] == scenario]
        pooled = "" if results.design.get("points", 1) <= 1 else ", pooled over the design points"
        out.figure(figures.comparison(
            results, part, title=f"{results.name} · {name}: metrics by alliance structure (means, "
            f"95 % CI{pooled}; bottom: paired Δ vs hub-and-spoke)"),
            f"comparison{suffix}",
            f"Scenario {name}: each run-level metric per alliance structure (mean and 95 % CI: "
            "Wilson for shares, Student t otherwise) and, below, the paired difference against "
            f"hub-and-spoke matched on replicate seed (95 % t interval){pooled}.")
    if len(scenarios) == 1 and results.design.get("points", 1) <= 1:
        more = [m for m in labels.MORE_METRICS if m in runs]
        name = labels.scenario_label(results, scenarios[0])
        out.figure(figures.comparison(
            results, runs, metrics=more, title=f"{results.name} · {name}: further metrics by "
            "alliance structure (means, 95 % CI; bottom: paired Δ vs hub-and-spoke)"),
            "comparison_more",
            f"Scenario {name}: further run-level metrics (great-power wars, flashpoints lost to a "
            "major attack, war size, reliability, abandonments, hub entrapments, provocations, "
            "dissolution) per structure with 95 % CI, and paired differences against hub-and-spoke.")


def _design_figures(results: Results, out: _Writer) -> pd.DataFrame | None:
    """What the design varies: a phase diagram, the levels of a categorical factor, or a scatter.
    Returns the phase table, if one was drawn."""
    structures = results.structures
    pair = set(COMPARED) <= set(structures)
    kind = results.design.get("kind", "single")
    numeric = _numeric_factors(results)
    categorical = _categorical_factors(results)
    if kind == "full_factorial" and len(numeric) == 2 and not categorical and pair:
        x, y = numeric
        phase_frame = phase_table(results.runs, x, y, PHASE_METRICS)
        out.csv(phase_frame, "phase")
        out.figure(figures.phase(results, phase_frame, x, y, PHASE_METRICS), f"phase_{x}_{y}",
                   f"Phase diagram over {x} × {y}: paired difference collective − hub-and-spoke per "
                   "cell in the share stable and cohesive (the headline definition), the share stable "
                   "(order), the share of runs in which the structure formed, and the deterrence "
                   "rate; * marks cells whose 95 % interval excludes zero, hatching those whose "
                   "interval includes it. Blue = collective higher. Each colour scale is centred on "
                   "zero and spans at least the smallest difference treated as meaningful (± "
                   f"{labels.MEANINGFUL_DIFFERENCE['flag']:g} of a share of runs, ± "
                   f"{labels.MEANINGFUL_DIFFERENCE['rate']:g} of a rate), so that smaller "
                   "differences are drawn pale.")
        viability = formation.viability_table(results.runs, x, y)
        out.csv(viability, "formation")  # and per structure over the cells (formation_summary):
        out.csv(formation.viability_summary(results.runs, viability), "formation_summary")
        out.figure(formation.viability_figure(results, viability, x, y), f"formation_{x}_{y}",
                   f"Per structure and cell of {x} × {y}: the share of runs in which the structure "
                   "formed, and its share stable and cohesive over all runs and over the runs in "
                   "which it formed (blank: none formed). Both ways of counting are shown because "
                   "the alliances that form are a selection (Smith 1995).")
        return phase_frame
    if kind == "points" and results.design.get("labels"):
        variants = mechanisms.variants_table(results)
        out.csv(variants, "variants")
        out.figure(mechanisms.variants_figure(results, variants), "variants",
                   "Each design point (named by what it changes) per structure: the headline metrics "
                   "(mean, 95 % CI), and the paired difference collective − hub-and-spoke at that "
                   "point (95 % CI).")
        return None
    if categorical and len(categorical) == 1 and not numeric:
        factor = categorical[0]
        out.figure(figures.by_group(
            results, factor, SCENARIO_METRICS,
            f"{results.name}: metrics by {factor.replace('_', ' ')} and structure (means, 95 % CI; "
            "bottom: paired Δ collective − hub-and-spoke)", factor.replace("_", " ")),
            f"by_{factor}", f"Each metric by {factor} and alliance structure (mean, 95 % CI); bottom "
            "row: paired difference collective − hub-and-spoke at each level (95 % CI).")
    elif kind in ("latin_hypercube", "points", "full_factorial") and numeric and pair:
        if len(numeric) <= SCATTER_MOST:
            out.figure(figures.scatter(results, ["stable", "deterrence_rate"]), "scatter",
                       "Per design point: paired difference collective − hub-and-spoke against each "
                       "varied parameter.")
        if kind == "latin_hypercube":
            _discovery_figures(results, numeric, out)
    return None


TIME_RUNS_MOST = 50_000
"""Most runs for which coverage over time is drawn (each run's path is rebuilt from its changes)."""
ATTACKED_LEAST = 10
"""Fewest runs with a major attack for which the event study is drawn."""


def _time_figures(results: Results, out: _Writer) -> None:
    """Coverage over time (:mod:`analysis.threat`): by the design's first numeric factor (a line per
    level; the second, if any, a row per level), and around the first major attack, with who
    joined after it."""
    runs = results.runs
    kind = results.design.get("kind", "single")
    if ("coverage_changes" not in runs or kind not in ("single", "full_factorial")
            or len(runs) > TIME_RUNS_MOST):
        return
    numeric = [f for f in _numeric_factors(results) if runs[f].nunique() <= threat.LEVELS_MOST]
    factor = numeric[0] if numeric else None
    panels = numeric[1] if len(numeric) > 1 and runs[numeric[1]].nunique() <= 4 else None
    if panels:
        table = pd.concat([threat.over_time_table(runs[runs[panels] == level], factor)
                           .assign(**{panels: level}) for level in sorted(runs[panels].unique())])
    else:
        table = threat.over_time_table(runs, factor)
    out.csv(table, "coverage_over_time")
    by = f", a line per level of {factor}" if factor else ""
    by += f", a row per level of {panels} (pooled over the others)" if panels else ""
    out.figure(threat.over_time_figure(results, table, factor, panels), "coverage_over_time",
               "Coverage (the share of prospective members bound by the structure) at every step: "
               f"mean over runs with its 95 % t interval, per scenario and structure{by}.")
    attacked = runs["first_major_attack"].notna().sum() if "first_major_attack" in runs else 0
    if attacked < ATTACKED_LEAST or "joined_later" not in runs:
        return
    around = threat.after_attack_table(runs)
    out.csv(around, "after_major_attack")
    out.figure(threat.after_attack_figure(results, around), "after_major_attack",
               f"Coverage from {threat.BEFORE} steps before to {threat.AFTER} after each run's first "
               "major attack (step 0; runs with one, pooled over the design points): mean and 95 % "
               "t interval over the runs still running at that offset.")
    out.csv(threat.accession_table(runs), "accessions")


def _discovery_figures(results: Results, factors: list[str], out: _Writer) -> None:
    """Scenario discovery with PRIM (:mod:`analysis.discovery`): the regime map, and per target the
    peeling trajectory, the boxes' limits, ``discovery.csv`` and a section of ``summary.md``."""
    points = discovery.point_table(results.runs, factors)
    out.csv(points, "discovery_points")
    found = [discovery.discover_points(points, factors, target) for target in discovery.TARGETS]
    out.csv(discovery.box_table(found), "discovery")
    rule = (f"PRIM (EMA Workbench): peel and paste alpha {discovery.PEEL_ALPHA:g}, least mass "
            f"{discovery.MASS_MIN:g}; the box is the trajectory's largest coverage at density >= "
            f"{discovery.THRESHOLD:g}; restrictions with qp > {discovery.SIGNIFICANCE:g} dropped unless "
            f"that takes the density below it; up to {discovery.MOST_BOXES} boxes, each on the points "
            f"the earlier ones left. One case per design point ({len(points)} points, mean over each "
            "point's paired replicates).")
    out.figure(discovery.map_figure(points, factors, f"{results.name}: the regime map, one dot per "
                                    f"design point ({len(points)} points)"),
               "regime_map",
               "The regime map: each design point of the Latin hypercube, placed by the two sampled "
               "parameters whose values are most strongly rank-correlated with the outcome across "
               "the points (Spearman's ρ on the axes; every other parameter varies too) and coloured "
               "by the outcome: left, the mean paired difference collective − hub-and-spoke in the "
               "share of runs stable and cohesive (ringed: its 95 % t interval over the point's "
               "replicates excludes 0); right, the share of runs in which the collective pact formed.")
    for d in found:
        name = d.target.name
        out.figure(discovery.trajectory_figure(d, f"{results.name}: where {d.target.words}"),
                   f"discovery_{name}_trajectory",
                   f"Peeling trajectory of the first PRIM box for the cases where {d.target.words}: "
                   f"coverage against density, colour = parameters restricted; star = the box chosen; "
                   f"dotted = the base rate ({d.cases} of {d.points} points). "
                   f"{discovery.noise_words(d)} {rule}")
        out.figure(discovery.limits_figure(d, f"{results.name}: boxes where {d.target.words}"),
                   f"discovery_{name}_boxes",
                   f"The restricted parameters of each box found for the cases where {d.target.words}, "
                   f"as ranges within the sampled range; every other parameter is unrestricted. "
                   f"{d.cases} of {d.points} points are cases. {discovery.noise_words(d)} {rule}")
    out.sections += ["## Scenario discovery (PRIM)", "", rule, "", *discovery.markdown(found),
                     "Boxes: discovery.csv; per point: discovery_points.csv.", ""]


def _stability_reliability_and_history(results: Results, out: _Writer) -> dict[str, pd.DataFrame]:
    """The stability verdict under every definition; the reliability of each kind of commitment;
    the history table. Returns the tables for ``summary.md``."""
    runs = results.runs
    extra: dict[str, pd.DataFrame] = {}
    structures = set(results.structures)
    if set(COMPARED) <= structures:
        frames = [formation.stability_table(runs[runs["scenario"] == s]).assign(scenario=s)
                  for s in results.scenarios]
        extra["stability"] = pd.concat(frames, ignore_index=True)
        out.csv(extra["stability"], "stability")
    if results.design.get("kind", "single") in ("single", "points") and structures - {"none"}:
        kinds = reliability.kinds_table(results)
        out.csv(kinds, "reliability_by_kind")
        out.figure(reliability.kinds_figure(results, kinds), "reliability_by_kind",
                   "Reliability (honoured ÷ invoked, pooled over the runs, 95 % Wilson CI) of each "
                   "kind of commitment under each structure, one panel per design point; the shaded "
                   "band is the empirical range 0.40-0.75 (docs/calibration.md); n = invocations.")
    if results.design.get("history"):
        extra["history"] = history_table(results)
        out.csv(extra["history"], "history")
    if (results.design.get("kind", "single") in ("single", "points")
            and "ties_minilateral" in runs and runs["ties_minilateral"].sum() > 0):
        hazards = durations.hazard_table(results)
        out.csv(hazards, "tie_hazard")
        out.figure(durations.hazard_figure(results, hazards), "tie_hazard",
                   "How long ties last: ties a party ended per tie-year at risk, pooled over the "
                   "runs, with the exact 95 % Poisson interval, by kind of tie (hub-spoke ties are "
                   "asymmetric, spoke-spoke minilateral ties symmetric), one panel per scenario, a "
                   "row per design point.")
    return extra


def _threshold_figures(results: Results, out: _Writer) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How the stability verdict moves with the flag's threshold and parts; the two tables."""
    runs = results.runs
    scenarios = results.scenarios
    threshold_frames = []
    for scenario in scenarios:
        frame = threshold_table(runs[runs["scenario"] == scenario])
        frame.insert(0, "scenario", scenario)
        threshold_frames.append(frame)
    thresholds = pd.concat(threshold_frames, ignore_index=True)
    out.csv(thresholds, "thresholds")
    parts = pd.concat([parts_table(runs[runs["scenario"] == s]).assign(scenario=s) for s in scenarios],
                      ignore_index=True)
    out.csv(parts, "stable_parts")
    for scenario, frame in zip(scenarios, threshold_frames, strict=True):
        name = labels.scenario_label(results, scenario)
        suffix = f"_{_file_part(name)}" if len(scenarios) > 1 else ""
        out.figure(figures.thresholds(results, frame.drop(columns="scenario"), name),
                   f"stable_thresholds{suffix}",
                   f"Scenario {name}: share of runs flagged stable per structure as the threshold on "
                   "cumulative status-quo loss varies (the flag is recomputed from the stored parts), "
                   "and the paired difference collective − hub-and-spoke (95 % CI). Dashed: the "
                   "threshold the runs used.")
    return thresholds, parts


def _tables(results: Results, out: _Writer, thresholds: pd.DataFrame, parts: pd.DataFrame,
            phase_frame: pd.DataFrame | None, extra: dict[str, pd.DataFrame]) -> None:
    """``summary.csv``, ``paired_differences.csv``, ``summary.md`` and ``CAPTIONS.md``."""
    runs = results.runs
    metrics = [m for m in labels.TABLE_METRICS if m in runs]
    out.csv(summary(runs, metrics, by=["scenario", "point", "structure"]), "summary")
    out.csv(paired_differences(runs, metrics, by=["scenario", "point"]), "paired_differences")
    out.files.append(_summary_markdown(results, thresholds, parts, phase_frame, extra, out.folder,
                                       out.sections))
    captions = out.folder / "CAPTIONS.md"
    captions.write_text("# Figures\n\n" + "\n\n".join(
        f"**{name}** (`{name}.png`, `{name}.pdf`): {text}" for name, text in out.captions) + "\n",
        encoding="utf-8")
    out.files.append(captions)


def _summary_markdown(results: Results, thresholds: pd.DataFrame, parts: pd.DataFrame,
                      phase_frame: pd.DataFrame | None, extra: dict[str, pd.DataFrame],
                      folder: Path, design_lines: list[str]) -> Path:
    runs = results.runs
    lines = [f"# {results.name}: summary", "", results.manifest.get("design", {}).get("description", ""),
             "", results.caption(), ""]
    points = results.design.get("points", 1)
    names = labels.point_labels(results)
    for scenario in results.scenarios:
        part = runs[runs["scenario"] == scenario]
        if 1 < points <= 4 or results.design.get("labels"):
            sections = [(f"{labels.scenario_label(results, scenario)} · {names[point]}", group)
                        for point, group in part.groupby("point", sort=True)]
        else:
            pooled = " (pooled over the design points; per point: summary.csv)" if points > 1 else ""
            sections = [(labels.scenario_label(results, scenario) + pooled, part)]
        for heading, group in sections:
            lines += [f"## {heading}", "",
                      "Mean [95 % CI]; Δ columns are paired differences against hub-and-spoke.", "",
                      tables.markdown(tables.structure_table(group, results.structures,
                                                             labels.TABLE_METRICS)), ""]
    factors = [f for f in results.design.get("factors", []) if f in runs]
    for factor in _categorical_factors(results):
        if runs[factor].nunique() < 2:
            continue
        metrics = ["stable", "deterrence_rate", "wars", "entrapments", "exits"]
        effects = level_differences(runs, factor, metrics,
                                    within=[f for f in factors if f != factor])
        if effects.empty:
            continue
        effects.to_csv(folder / f"effect_of_{factor}.csv", index=False)
        table = effects.assign(estimate=effects.apply(tables.estimate, axis=1))
        table = table.pivot_table(index=["structure", "level"], columns="metric", values="estimate",
                                  aggfunc="first")[metrics].reset_index()
        table.columns = ["structure", factor] + [labels.metric_label(m, False) for m in metrics]
        lines += [f"## Effect of {factor} within each structure", "",
                  f"Paired difference against {factor} = {effects['baseline_level'].iloc[0]}, matched "
                  "on replicate (the same seed) and on every other factor of the design (a level with "
                  "no such twin is left out), mean [95 % CI]. Read with the structure columns above: "
                  "the structure gap at a fixed level is the effect of *who* is bound, this table the "
                  "effect of the factor within one structure.", "", tables.markdown(table), ""]
    if "stability" in extra:
        lines += _stability_markdown(extra["stability"])
    if "history" in extra:
        lines += _history_markdown(results, extra["history"])
    lines += ["## The stability verdict and the stable flag's definition", "",
              tables.markdown(_verdicts(parts, ["scenario", "definition"])), "",
              "By threshold on cumulative status-quo loss:", "",
              tables.markdown(_verdicts(thresholds, ["scenario", "sq_loss_threshold"])), ""]
    lines += design_lines
    if phase_frame is not None:
        lines += ["## Phase diagram", ""]
        for metric in [m for m in PHASE_METRICS if m in set(phase_frame["metric"])]:
            part = phase_frame[phase_frame["metric"] == metric]
            clear = part[part["clear"]]
            lines += [f"- {labels.metric_label(metric, False)}: {len(clear)} of {len(part)} cells show "
                      f"a clear difference (95 % CI excludes 0): {int((clear['delta'] > 0).sum())} "
                      f"favour collective, {int((clear['delta'] < 0).sum())} favour hub-and-spoke."]
        lines += ["", "Full table: phase.csv; formation per structure and cell: formation.csv.", ""]
    path = folder / "summary.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _verdicts(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    shares = [c for c in frame.columns if c.startswith("stable_")]
    columns = keys + shares + [c for c in ("delta", "delta_low", "delta_high", "verdict") if c in frame]
    return frame[columns].rename(columns={c: c.replace("stable_", "stable: ") for c in shares})


def headline_text(folder: str | Path) -> str:
    """A short plain-text table: each structure's share stable and cohesive (the headline), stable
    (order), cohesive and formed, its deterrence rate and wars, with the paired Δ of the headline
    against hub-and-spoke (what ``sweep`` prints at the end)."""
    results = load(folder)
    columns = {"stable_cohesive": (16, 3), "stable": (8, 3), "cohesive": (9, 3), "formed": (8, 3),
               "deterrence_rate": (11, 3), "wars": (7, 2)}  # each one's width and decimals
    lines = []
    for scenario in results.scenarios:
        runs = results.runs[results.runs["scenario"] == scenario]
        means = summary(runs, list(columns))
        differences = paired_differences(runs, ["stable_cohesive"])
        pooled = "" if results.design.get("points", 1) <= 1 else ", pooled over design points"
        lines.append(f"{results.name} · {labels.scenario_label(results, scenario)} "
                     f"({results.replicates} paired replicates{pooled})")
        lines.append(f"  {'structure':<18}{'stable+cohesive':>16}{'stable':>8}{'cohesive':>9}"
                     f"{'formed':>8}{'deterrence':>11}{'wars':>7}{'Δ stable+cohesive vs hub':>30}")
        for structure in results.structures:
            row = means[means["structure"] == structure].set_index("metric")
            delta = ""
            if not differences.empty and structure in set(differences["structure"]):
                d = differences[differences["structure"] == structure].iloc[0]
                delta = ("-" if d["mean"] != d["mean"]  # undefined: the metric has no value there
                         else f"{d['mean']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}]")
            cells = "".join(f"{_mean(row, m, digits):>{width}}" for m, (width, digits) in columns.items())
            lines.append(f"  {labels.structure_label(structure):<18}{cells}{delta:>30}")
    return "\n".join(lines)


def _mean(row: pd.DataFrame, metric: str, digits: int) -> str:
    """A mean, or ``-`` where undefined (a deterrence rate without an opportunity), as
    ``python run.py run`` prints it."""
    value = row.loc[metric, "mean"]
    return "-" if value != value else f"{value:.{digits}f}"


def _stability_markdown(table: pd.DataFrame) -> list[str]:
    """The verdict collective − hub-and-spoke under every stability definition, both ways of
    counting."""
    view = table.copy()
    view["Δ collective − hub-and-spoke [95 % CI]"] = view.apply(
        lambda r: tables.estimate({"mean": r["delta"], "low": r["low"], "high": r["high"]}), axis=1)
    columns = ["scenario", "runs", "definition", COMPARED[1], COMPARED[0], f"n {COMPARED[1]}",
               "Δ collective − hub-and-spoke [95 % CI]", "verdict"]
    return ["## The verdict under every stability definition", "",
            "Share of runs stable under each definition (stable and cohesive is the headline), over "
            "all runs and over the runs in which both structures formed (paired on the seed).", "",
            tables.markdown(view[columns]), ""]


def _history_markdown(results: Results, table: pd.DataFrame) -> list[str]:
    """The model's outcomes beside what happened, per scenario (design points as columns)."""
    lines = ["## Beside history", "",
             "Share of runs (or median years) per outcome, beside what happened. Inputs come from "
             "history; no outcome was tuned to match.", ""]
    for scenario, part in table.groupby("scenario", sort=False):
        wide = part.pivot_table(index=["outcome", "history"], columns="variant", values="model",
                                aggfunc="first", sort=False).reset_index()
        lines += [f"### {scenario} ({part['span'].iloc[0]})", "", tables.markdown(wide), "",
                  "Sources: " + "; ".join(history_sources(results).get(scenario, [])), ""]
    return lines
