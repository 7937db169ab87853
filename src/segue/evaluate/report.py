"""The evaluation report: ``report.md`` and a self-contained ``report.html``.

Both are written from the JSON document of :meth:`Evaluation.to_dict
<segue.evaluate.harness.Evaluation.to_dict>`. The figures are PNG files beside the
Markdown and embedded (base64) in the HTML, so the HTML can be mailed alone.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from segue.evaluate.plots import draw_all

__all__ = ["DEFINITIONS", "write_report"]

Doc = dict[str, Any]

DEFINITIONS: dict[str, str] = {
    "r_precision": "|G ∩ R[:|G|]| / |G|, track level",
    "r_precision_artist": "track hits in R[:|G|] + 0.25 per other track there by "
    "one of G's artists (each artist once), over |G| (top teams' variant)",
    "ndcg": "Σ rel_i / log2(i+1) over the ideal Σ_{i≤|G|} 1 / log2(i+1) "
    "(standard; vl6)",
    "ndcg_organiser": "the same DCG, ideal cut at min(n, |G|) (RecsysChallengeTools)",
    "ndcg_rules": "rel_1 + Σ_{i≥2} rel_i / log2(i) over the same sum for the "
    "|G ∩ R| hits (published rules)",
    "clicks": "floor((rank of first hit - 1) / 10), 51 with no hit (lower is better)",
    "recall@K": "|G ∩ R[:K]| / |G|",
    "dup_seeds@c / dup_within@c": "share of the first c tracks that are a version "
    "(same ISRC, or same artist and normalised title) of a seed / of a track above",
    "artist_max@c / distinct_artists@c": "most tracks by one artist / distinct "
    "artists in the first c",
    "ild@c": "mean pairwise cosine distance of min-max scaled audio features "
    "(where every feature is known)",
    "novelty@c": "mean -log2(pop / N), pop = training playlists holding the track",
    "arp@c / seed_arp": "mean pop / N of the first c tracks / of the seeds",
    "coverage@c / coverage": "share of the catalogue's tracks recommended to anyone",
    "unseen": "share of a list in no training playlist (metadata only, or a leak)",
}
"""Metric key to a one-line definition, printed in every report."""

_MAIN = (
    ("r_precision", "R-prec"),
    ("r_precision_artist", "R-prec artist"),
    ("ndcg", "NDCG"),
    ("ndcg_rules", "NDCG rules"),
    ("clicks", "clicks"),
    ("recall@50", "recall@50"),
    ("recall@500", "recall@500"),
)
_BEYOND = (
    ("dup_seeds@50", "dup seeds@50"),
    ("dup_within@50", "dup within@50"),
    ("artist_max@20", "artist max@20"),
    ("distinct_artists@50", "artists@50"),
    ("ild@50", "ILD@50"),
    ("novelty@50", "novelty@50"),
    ("arp@50", "ARP@50"),
    ("coverage", "coverage"),
    ("unseen", "unseen"),
)


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _tables(doc: Doc) -> list[tuple[str, list[str], list[list[str]]]]:
    models = list(doc["models"])
    timing = doc.get("timing", {})
    tables = []

    # accuracy over every test playlist, with times
    header = ["model", *(label for _, label in _MAIN), "fit s", "recommend s"]
    rows = [
        [
            m,
            *(_fmt(doc["models"][m]["all"].get(k)) for k, _ in _MAIN),
            _fmt(timing.get(m, {}).get("fit_s"), 1),
            _fmt(timing.get(m, {}).get("recommend_s"), 1),
        ]
        for m in models
    ]
    tables.append(("Accuracy over all test playlists", header, rows))

    # one table per headline metric, by category
    categories = [*doc["split"]["categories"], "all"]
    for key, label in (
        ("r_precision", "R-precision"),
        ("ndcg", "NDCG"),
        ("clicks", "clicks"),
    ):
        rows = [
            [m, *(_fmt(doc["models"][m].get(c, {}).get(key)) for c in categories)]
            for m in models
        ]
        tables.append((f"{label} by category", ["model", *categories], rows))

    # beyond accuracy
    header = ["model", *(label for _, label in _BEYOND)]
    rows = [
        [m, *(_fmt(doc["models"][m]["all"].get(k)) for k, _ in _BEYOND)] for m in models
    ]
    tables.append(("Beyond accuracy (all test playlists)", header, rows))
    return tables


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join(" --- " for _ in header) + "|")
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _split_line(doc: Doc) -> str:
    split = doc["split"]
    counts = ", ".join(f"{k} {v}" for k, v in split["categories"].items())
    source = split.get("from_source") or "any source"
    return (
        f"{split['test']} test playlists ({counts}) from {source}, seed "
        f"{split['seed']}; {split.get('n', 500)} tracks asked per playlist; "
        f"{split.get('training_playlists', '?')} training playlists, "
        f"{split.get('catalogue_tracks', '?')} tracks to choose from."
    )


def write_report(
    doc: Doc, directory: Path, *, title: str = "segue evaluation"
) -> tuple[Path, Path]:
    """Write ``report.md``, ``report.html`` and the figures into ``directory``.

    Parameters
    ----------
    doc
        The JSON document of an evaluation.
    directory
        Created when missing; existing report files are replaced.
    title
        The heading of both reports.

    Returns
    -------
    tuple of Path
        The Markdown and the HTML file.
    """
    directory.mkdir(parents=True, exist_ok=True)
    figures = draw_all(doc, directory)
    tables = _tables(doc)
    definitions = list(DEFINITIONS.items())

    # markdown, figures beside it
    md = [f"# {title}", "", _split_line(doc), ""]
    for caption, header, rows in tables:
        md += [f"## {caption}", "", _markdown_table(header, rows), ""]
    for caption, path in figures:
        md += [f"## {caption}", "", f"![{caption}]({path.name})", ""]
    md += ["## Definitions", ""]
    md += [f"- `{k}`: {v}" for k, v in definitions]
    md_path = directory / "report.md"
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")

    # html, figures embedded
    esc = html.escape
    body = [f"<h1>{esc(title)}</h1>", f"<p>{esc(_split_line(doc))}</p>"]
    for caption, header, rows in tables:
        body.append(f"<h2>{esc(caption)}</h2><table>")
        body.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
        for row in rows:
            body.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
        body.append("</table>")
    for caption, path in figures:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        body.append(
            f'<h2>{esc(caption)}</h2><img alt="{esc(caption)}" '
            f'src="data:image/png;base64,{data}">'
        )
    body.append("<h2>Definitions</h2><ul>")
    body += [f"<li><code>{esc(k)}</code>: {esc(v)}</li>" for k, v in definitions]
    body.append("</ul>")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
    html_path = directory / "report.html"
    html_path.write_text(page, encoding="utf-8")
    return md_path, html_path


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;"
    "padding:0 1em}table{border-collapse:collapse;margin:1em 0}"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
    "th:first-child,td:first-child{text-align:left}img{max-width:100%}"
)
