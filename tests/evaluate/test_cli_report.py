"""``segue evaluate`` end to end on a synthetic world: JSON, report, figures."""

from __future__ import annotations

import base64
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from matplotlib.image import imread
from typer.testing import CliRunner

from segue.catalog import Catalog
from segue.catalog.synth import SynthConfig, generate
from segue.cli import app

CATEGORIES = "title,first5,first10-notitle,random25"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "catalog.duckdb"
    with Catalog(path) as catalog:
        generate(SynthConfig(playlists=500, seed=3)).write_catalog(
            catalog, source="synthetic"
        )
    return path


@pytest.fixture(scope="module")
def run(synthetic: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        app,
        [
            "--db",
            str(synthetic),
            "-q",
            "evaluate",
            "--test",
            "80",
            "--categories",
            CATEGORIES,
            "--models",
            "popularity,als,itemknn",
            "--from-source",
            "synthetic",
            "--jobs",
            "2",
            "-n",
            "200",
            "--json",
            str(out / "quality.json"),
            "--report",
            str(out / "report"),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "quality.json").read_text())
    return {"doc": doc, "dir": out / "report"}


def test_json_holds_every_model_and_category(run: dict[str, Any]) -> None:
    doc = run["doc"]
    assert list(doc["models"]) == ["popularity", "als", "itemknn"]
    assert doc["split"]["test"] == 80
    assert doc["split"]["n"] == 200
    assert doc["split"]["from_source"] == "synthetic"
    for by_category in doc["models"].values():
        assert set(by_category) == {*CATEGORIES.split(","), "all"}
        values = by_category["all"]
        for key in ("r_precision", "ndcg", "ndcg_rules", "recall@100", "ild@50"):
            assert 0.0 <= values[key] <= 1.0, key
        assert values["novelty@50"] > 0
    assert set(doc["timing"]) == set(doc["models"])


def test_als_beats_popularity_on_a_structured_world(run: dict[str, Any]) -> None:
    models = run["doc"]["models"]
    for category in ("first5", "random25", "all"):
        als, pop = models["als"][category], models["popularity"][category]
        assert als["r_precision"] > pop["r_precision"], category
        assert als["ndcg"] > pop["ndcg"], category
    # ALS reaches further into the catalogue than one list for everyone
    assert models["als"]["all"]["coverage"] > models["popularity"]["all"]["coverage"]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs)["src"] or "")


def test_report_files_exist_and_open(run: dict[str, Any]) -> None:
    folder: Path = run["dir"]
    markdown = (folder / "report.md").read_text()
    assert markdown.startswith("# segue evaluation")
    assert "| als |" in markdown
    page = _Page()
    page.feed((folder / "report.html").read_text())
    page.close()
    assert page.tags.count("table") >= 5
    assert len(page.images) == 4
    for src in page.images:
        prefix = "data:image/png;base64,"
        assert src.startswith(prefix)
        pixels = imread(io.BytesIO(base64.b64decode(src[len(prefix) :])))
        assert pixels.shape[0] > 100
        assert pixels.shape[1] > 100
    for png in folder.glob("*.png"):
        assert imread(png).ndim == 3
    assert len(list(folder.glob("*.png"))) == 4


def test_friendly_errors(synthetic: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["--db", str(synthetic), "evaluate", "--categories", "first7"]
    )
    assert result.exit_code == 1
    assert "unknown category first7" in result.output
    result = runner.invoke(
        app, ["--db", str(synthetic), "evaluate", "--test", "5", "--models", "nope"]
    )
    assert result.exit_code == 1
    assert "unknown model nope" in result.output
    result = runner.invoke(app, ["--db", str(tmp_path / "none.duckdb"), "evaluate"])
    assert result.exit_code == 1
    assert "no catalog yet" in result.output


def test_segue_runs_in_the_harness_when_present(synthetic: Path) -> None:
    from segue.evaluate import evaluate, make_split
    from segue.evaluate.registry import available

    if "segue-no-ranker" not in available():
        pytest.skip("segue.recommend.recommender has no ranker switch yet")
    # the ranker's training takes minutes; its fusion-only ablation takes seconds
    with Catalog(synthetic, read_only=True) as catalog:
        split = make_split(catalog, test=40, categories=["title", "first5"], seed=1)
        doc = evaluate(
            catalog, split, ["segue-no-ranker", "popularity"], n=100
        ).to_dict()
    models = doc["models"]
    assert list(models) == ["segue-no-ranker", "popularity"]
    assert doc["timing"]["segue-no-ranker"]["repaired_lists"] == 0
    for category in ("title", "first5"):
        mine, pop = models["segue-no-ranker"][category], models["popularity"][category]
        assert mine["ndcg"] > pop["ndcg"], category
        assert 0.0 <= mine["r_precision"] <= 1.0


def test_json_to_stdout(synthetic: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "--db",
            str(synthetic),
            "-q",
            "evaluate",
            "--test",
            "12",
            "--categories",
            "first10",
            "--models",
            "popularity",
            "--json",
            "-",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["split"]["categories"] == {"first10": 12}
    assert doc["split"]["min_tracks"] == {"first10": 20}
    assert doc["models"]["popularity"]["first10"]["playlists"] == 12
