"""The study's SQLite file: creation, answers, isolation, the owner token, reports."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from segue.serve.errors import NotFound, StudyError
from segue.serve.study import (
    Study,
    build_report,
    create_study,
    open_study,
    render_text,
    write_plots,
)

A = ["a" * 22, "b" * 22, "c" * 22]
B = ["d" * 22, "e" * 22, "f" * 22]


def _trial(study: Study, pid: str, segue_left: bool = True) -> str:
    return study.add_trial(
        pid,
        title="t",
        seeds=["s" * 22],
        lists={"segue": A, "popularity": B},
        segue_left=segue_left,
    )


def test_create_and_open(tmp_path: Path) -> None:
    study, token = create_study(tmp_path, "My study", baseline="popularity")
    assert study.path.parent == tmp_path / "studies"
    assert stat.S_IMODE(study.path.stat().st_mode) == 0o600
    again = open_study(tmp_path, study.id)
    assert again.name == "My study"
    assert again.baseline == "popularity"
    assert again.list_size == 10
    assert again.check_owner(token)
    assert not again.check_owner(token + "x")
    assert not again.check_owner("")
    raw = study.path.read_bytes()
    assert token.encode() not in raw
    with sqlite3.connect(study.path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


@pytest.mark.parametrize(
    ("name", "baseline", "size", "message"),
    [
        ("", "popularity", 10, "1 to 100 characters"),
        ("x" * 101, "popularity", 10, "1 to 100 characters"),
        ("ok", "random", 10, "unknown baseline 'random'"),
        ("ok", "popularity", 2, "3 to 50 tracks"),
    ],
)
def test_create_rejects(
    tmp_path: Path, name: str, baseline: str, size: int, message: str
) -> None:
    with pytest.raises(StudyError, match=message):
        create_study(tmp_path, name, baseline=baseline, list_size=size)


@pytest.mark.parametrize("study_id", ["../../etc", "short", "a" * 40, "x/y" * 4])
def test_open_rejects_odd_ids(tmp_path: Path, study_id: str) -> None:
    with pytest.raises(NotFound):
        open_study(tmp_path, study_id)


def test_open_rejects_foreign_files(tmp_path: Path) -> None:
    study, _ = create_study(tmp_path, "s")
    other = tmp_path / "studies" / "abcdefghijkl.sqlite3"
    other.write_bytes(study.path.read_bytes())
    with pytest.raises(StudyError, match="holds study"):
        open_study(tmp_path, "abcdefghijkl")
    junk = tmp_path / "studies" / "zzzzzzzzzzzz.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StudyError):
        open_study(tmp_path, "zzzzzzzzzzzz")


def test_answers_and_isolation(tmp_path: Path) -> None:
    study, _ = create_study(tmp_path, "s")
    alice, bob = study.add_participant("web"), study.add_participant("web")
    tid = _trial(study, alice, segue_left=False)
    trial = study.trial(alice, tid)
    assert trial["left"] == B
    assert trial["right"] == A
    assert trial["sources"] == {"left": "popularity", "right": "segue"}
    study.rate(alice, tid, "right", A[0], "like")
    study.rate(alice, tid, "right", A[0], "dislike")  # a change replaces
    study.rate(alice, tid, "left", B[1], "neutral")
    study.choose(alice, tid, "right")
    with pytest.raises(NotFound):
        study.trial(bob, tid)
    with pytest.raises(NotFound):
        study.rate(bob, tid, "left", B[0], "like")
    with pytest.raises(NotFound):
        study.choose(bob, tid, "left")
    with pytest.raises(NotFound, match="no such track"):
        study.rate(alice, tid, "left", A[0], "like")
    answers = study.answers()
    assert [(c["source"], c["side"]) for c in answers["choices"]] == [
        ("segue", "right")
    ]
    assert sorted((r["source"], r["rating"]) for r in answers["ratings"]) == [
        ("popularity", 0),
        ("segue", -1),
    ]
    assert study.trial(alice, tid)["ratings"] == {
        f"right:{A[0]}": "dislike",
        f"left:{B[1]}": "neutral",
    }


def test_report(tmp_path: Path) -> None:
    study, _ = create_study(tmp_path, "Report study")
    wins = 0
    for k in range(30):
        pid = study.add_participant("pasted")
        tid = _trial(study, pid, segue_left=k % 2 == 0)
        segue_side = "left" if k % 2 == 0 else "right"
        other = "right" if segue_side == "left" else "left"
        pick = segue_side if k < 22 else other
        wins += pick == segue_side
        study.choose(pid, tid, pick)  # type: ignore[arg-type]
        for track in A:
            study.rate(pid, tid, segue_side, track, "like")  # type: ignore[arg-type]
        study.rate(pid, tid, other, B[0], "dislike")  # type: ignore[arg-type]
        study.rate(pid, tid, other, B[1], "like")  # type: ignore[arg-type]
    report = build_report(study)
    pref = report["preference"]
    assert pref["segue_wins"] == wins == 22
    assert pref["n"] == 30
    assert pref["share"] == pytest.approx(22 / 30, abs=1e-4)
    assert pref["p_value"] < 0.05
    assert report["verdict"].startswith("segue is preferred")
    assert report["preference_by_participant"]["n"] == 30
    assert report["like_rates"]["segue"]["like_rate"] == 1.0
    assert report["like_rates"]["popularity"]["like_rate"] == 0.5
    assert report["judgements_needed"]["to_detect"]["60/40"] == 194
    assert report["judgements_needed"]["to_detect"]["65/35"] == 85
    json.dumps(report)  # JSON-ready
    text = render_text(report)
    assert "segue preferred in 22 of 30" in text
    paths = write_plots(report, tmp_path / "out")
    assert [p.name for p in paths] == ["preference.png", "like_rates.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in paths)


def test_report_without_answers(tmp_path: Path) -> None:
    study, _ = create_study(tmp_path, "Empty")
    report = build_report(study)
    assert report["verdict"] == "no judgements yet"
    assert report["preference"]["n"] == 0
    assert report["preference"]["share"] is None
    write_plots(report, tmp_path / "out")
