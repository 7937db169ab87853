"""``segue study create`` and ``segue study report`` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from segue.cli import app
from segue.serve.study import open_study

runner = CliRunner()


def test_create_then_report(tmp_path: Path) -> None:
    data = tmp_path / "data"
    created = runner.invoke(
        app,
        [
            "study",
            "create",
            "Family",
            "--baseline",
            "spotify-pasted",
            "--data-dir",
            str(data),
            "--json",
        ],
    )
    assert created.exit_code == 0, created.output
    info = json.loads(created.output)
    study = open_study(data, info["id"])
    assert study.baseline == "spotify-pasted"
    assert study.check_owner(info["owner_token"])
    assert info["participant_url"] == f"http://127.0.0.1:8000/study/{info['id']}"

    pid = study.add_participant("pasted")
    tid = study.add_trial(
        pid,
        title=None,
        seeds=[],
        lists={"segue": ["a" * 22], "spotify": ["b" * 22]},
        segue_left=True,
    )
    study.choose(pid, tid, "left")
    study.rate(pid, tid, "left", "a" * 22, "like")

    out = tmp_path / "out"
    report = runner.invoke(
        app,
        [
            "study",
            "report",
            info["id"],
            "--data-dir",
            str(data),
            "--json",
            "--out",
            str(out),
        ],
    )
    assert report.exit_code == 0, report.output
    data_out = json.loads(report.output)
    assert data_out["preference"]["segue_wins"] == 1
    assert data_out["like_rates"]["segue"]["likes"] == 1
    assert {p.name for p in out.iterdir()} == {
        "report.json",
        "report.txt",
        "preference.png",
        "like_rates.png",
    }
    assert info["owner_token"] not in report.output

    by_file = runner.invoke(app, ["study", "report", str(study.path)])
    assert by_file.exit_code == 0
    assert "segue preferred in 1 of 1" in by_file.output


def test_errors_are_messages(tmp_path: Path) -> None:
    bad = runner.invoke(
        app, ["study", "create", "x", "--baseline", "coin", "--data-dir", str(tmp_path)]
    )
    assert bad.exit_code == 1
    assert "unknown baseline 'coin'" in bad.output
    missing = runner.invoke(
        app, ["study", "report", "nosuchstudy1", "--data-dir", str(tmp_path)]
    )
    assert missing.exit_code == 1
    assert "no such study" in missing.output
    no_catalog = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert no_catalog.exit_code == 1
    assert "no such catalog" in no_catalog.output
