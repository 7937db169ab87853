"""The scale benchmark runs end to end on a small synthetic world, and answers
again from its saved model without training."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from recommend_settings import SMALL

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "scale_bench.py"


def _run(tmp_path: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(SCRIPT), "--playlists", "1500", "--queries", "5"]
    cmd += ["--work", str(tmp_path / "work"), "--out", str(out)]
    cmd += ["--params", json.dumps({**SMALL, "num_threads": 1}), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def test_trains_saves_answers_and_reuses_its_model(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    run = _run(tmp_path, first)
    assert run.returncode == 0, run.stderr
    doc = json.loads(first.read_text())
    speed = doc["speed"]
    assert doc["world"]["playlists"] == 1500
    assert speed["card"]["playlists"] == 1500
    assert speed["train_seconds"] > 0
    assert speed["model_bytes"] > 0
    assert any("als:" in line["message"] for line in speed["stages"])
    latency = speed["recommend_500_for_100_seeds"]
    assert latency["calls"] == 5
    assert latency["p50_ms"] <= latency["p95_ms"] <= latency["max_ms"]
    stages = speed["recommend_stages_ms"]
    assert {"als", "cooccurrence", "ranker features"} <= set(stages)
    assert all(s["calls"] == 5 for s in stages.values())
    assert doc["machine"]["commit"]

    again = tmp_path / "again.json"
    run = _run(tmp_path, again, "--reuse-model")
    assert run.returncode == 0, run.stderr
    reused = json.loads(again.read_text())["speed"]
    assert "train_seconds" not in reused
    assert reused["reused_model"].endswith("model-synth-1500-seed0")
    assert reused["recommend_500_for_100_seeds"]["calls"] == 5


def test_reusing_a_model_that_is_not_there_fails_clearly(tmp_path: Path) -> None:
    run = _run(tmp_path, tmp_path / "x.json", "--reuse-model")
    assert run.returncode == 2
    assert "no saved model at" in run.stderr
    assert not (tmp_path / "x.json").exists()
