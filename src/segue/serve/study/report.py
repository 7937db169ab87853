"""The study report: numbers as JSON-ready data, a text summary, and plots.

Judgement-level statistics treat every pairwise answer as independent, which they are
not when one participant answers several times; the report therefore also gives the
preference over participants (each participant's majority, ties left out).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from segue.serve.study.stats import judgements_needed, preference, rate
from segue.serve.study.store import Study

__all__ = ["build_report", "render_text", "write_plots"]

SEGUE = "segue"


def _round(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 4)


def build_report(
    study: Study, *, alpha: float = 0.05, power: float = 0.8
) -> dict[str, Any]:
    """Everything the report says, as JSON-ready data."""
    answers = study.answers()
    choices = answers["choices"]
    wins = sum(1 for c in choices if c["source"] == SEGUE)
    pref = preference(wins, len(choices), confidence=1 - alpha)

    per_person: defaultdict[str, Counter[bool]] = defaultdict(Counter)
    for c in choices:
        per_person[c["participant"]][c["source"] == SEGUE] += 1
    majorities = [
        v[True] > v[False] for v in per_person.values() if v[True] != v[False]
    ]
    by_person = preference(sum(majorities), len(majorities), confidence=1 - alpha)

    likes: dict[str, dict[str, Any]] = {}
    grouped: defaultdict[str, list[int]] = defaultdict(list)
    for r in answers["ratings"]:
        grouped[r["source"]].append(int(r["rating"]))
    for source, values in sorted(grouped.items()):
        liked = rate(sum(v == 1 for v in values), len(values), confidence=1 - alpha)
        disliked = sum(v == -1 for v in values)
        likes[source] = {
            "ratings": len(values),
            "likes": liked.hits,
            "dislikes": disliked,
            "like_rate": _round(liked.share),
            "like_rate_wilson": [_round(x) for x in liked.wilson],
            "dislike_rate": _round(disliked / len(values)) if values else None,
        }

    needed = {
        f"{int(p * 100)}/{100 - int(p * 100)}": judgements_needed(
            p, alpha=alpha, power=power
        )
        for p in (0.55, 0.6, 0.65, 0.7)
    }
    observed_needed = (
        judgements_needed(pref.share, alpha=alpha, power=power) if pref.n else None
    )
    if pref.n == 0:
        verdict = "no judgements yet"
    elif pref.p_value < alpha:
        better = "segue" if pref.share > 0.5 else study.baseline
        verdict = f"{better} is preferred (p = {pref.p_value:.3g} < {alpha:g})"
    else:
        verdict = f"no significant preference yet (p = {pref.p_value:.3g}); " + (
            f"about {observed_needed} judgements would detect the observed share"
            if observed_needed
            else "the observed share is exactly 1/2"
        )
    return {
        "study": {"id": study.id, "name": study.name, "baseline": study.baseline},
        "participants": answers["participants"],
        "trials": answers["trials"],
        "judgements": pref.n,
        "preference": {
            "segue_wins": pref.wins,
            "n": pref.n,
            "share": _round(pref.share),
            "wilson": [_round(x) for x in pref.wilson],
            "clopper_pearson": [_round(x) for x in pref.clopper_pearson],
            "p_value": _round(pref.p_value),
            "confidence": pref.confidence,
        },
        "preference_by_participant": {
            "segue_majorities": by_person.wins,
            "n": by_person.n,
            "share": _round(by_person.share),
            "wilson": [_round(x) for x in by_person.wilson],
            "p_value": _round(by_person.p_value),
        },
        "like_rates": likes,
        "judgements_needed": {
            "alpha": alpha,
            "power": power,
            "to_detect": needed,
            "observed_share": observed_needed,
        },
        "verdict": verdict,
    }


def render_text(report: dict[str, Any]) -> str:
    """A short plain-text summary of :func:`build_report` output."""
    p = report["preference"]
    s = report["study"]
    lines = [
        f"study {s['name']} ({s['id']}): segue vs {s['baseline']}",
        f"{report['participants']} participants, {report['trials']} trials, "
        f"{report['judgements']} judgements",
    ]
    if p["n"]:
        lines.append(
            f"segue preferred in {p['segue_wins']} of {p['n']} "
            f"({p['share']:.1%}); Wilson {p['wilson'][0]:.3f}-{p['wilson'][1]:.3f}, "
            f"Clopper-Pearson {p['clopper_pearson'][0]:.3f}-"
            f"{p['clopper_pearson'][1]:.3f}; binomial p = {p['p_value']:.4g}"
        )
    for source, r in report["like_rates"].items():
        if r["like_rate"] is not None:
            lines.append(
                f"like rate {source}: {r['like_rate']:.1%} of {r['ratings']} ratings"
            )
    need = report["judgements_needed"]
    sizes = ", ".join(f"{k}: {v}" for k, v in need["to_detect"].items())
    lines.append(
        f"judgements needed (alpha {need['alpha']:g}, power {need['power']:g}): {sizes}"
    )
    lines.append(f"verdict: {report['verdict']}")
    return "\n".join(lines) + "\n"


def write_plots(report: dict[str, Any], out: Path) -> list[Path]:
    """Draw the preference and the like rates as PNG files into ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    p = report["preference"]
    fig, ax = plt.subplots(figsize=(5, 2.4))
    if p["n"]:
        low, high = p["wilson"]
        ax.barh([0], [p["share"]], color="#2a7", height=0.5)
        ax.errorbar(
            [p["share"]],
            [0],
            xerr=[[p["share"] - low], [high - p["share"]]],
            fmt="none",
            ecolor="black",
            capsize=6,
        )
    ax.axvline(0.5, color="grey", linestyle="--")
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel("share of judgements preferring segue (95% Wilson)")
    ax.set_title(f"segue vs {report['study']['baseline']} (n = {p['n']})")
    fig.tight_layout()
    path = out / "preference.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    paths.append(path)

    rates = report["like_rates"]
    fig, ax = plt.subplots(figsize=(5, 2.8))
    names = [k for k, v in rates.items() if v["like_rate"] is not None]
    values = [rates[k]["like_rate"] for k in names]
    errs = [
        [
            v - rates[k]["like_rate_wilson"][0]
            for k, v in zip(names, values, strict=True)
        ],
        [
            rates[k]["like_rate_wilson"][1] - v
            for k, v in zip(names, values, strict=True)
        ],
    ]
    if names:
        ax.bar(
            names,
            values,
            yerr=errs,
            capsize=6,
            color=["#2a7", "#58c", "#c85"][: len(names)],
        )
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of tracks liked")
    ax.set_title("per-track like rate by source")
    fig.tight_layout()
    path = out / "like_rates.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    paths.append(path)
    return paths
