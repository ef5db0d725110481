"""Regression corpus of issue 8 (hardening), the command line: one-line errors, exit status 2 for bad output paths, no raw control characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_hardening import HUB_A, HUB_B, ROAD, corrupted, folder

import corridor_planner as cp
import corridor_planner.cli

__all__ = ["folder"]  # the fixture


# --------------------------------------------------------------------------- 6. the command line


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = corridor_planner.cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_map_to_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.html").mkdir()
    code, _, err = run(["map", "Beijing", "Baku", "-o", str(tmp_path / "x.html")], capsys)
    assert code == 2 and err.count("\n") == 1 and "directory" in err
    code, _, err = run(["map", "Beijing", "Baku", "-o", str(tmp_path / "missing" / "x.html")], capsys)
    assert code == 2 and err.count("\n") == 1


def test_cli_validation_errors_are_one_line(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = corrupted(folder, tmp_path, "corridors.csv", "id,name,bogus\nx,y,z\n1,2,3\n")
    code, out, err = run(["hubs", "--data", str(data)], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "corridors.csv" in err


def test_cli_escapes_control_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evil = "Evil\x1b]0;owned\x07\x1b[2J\x9b31m\u202e"
    data = cp.Network.from_records([{**HUB_A, "name": evil}, HUB_B], [ROAD]).to_geojson(tmp_path / "evil")
    for argv in (
        ["hubs", "--data", str(data)],
        ["hubs", "--data", str(data), "--format", "json"],
        ["hubs", "--data", str(data), "--format", "csv"],
        ["route", "a", "b", "--data", str(data)],
        ["route", "a", "b", "--data", str(data), "--format", "json"],
        ["route", "a", "b", "--data", str(data), "--format", "geojson"],
        ["route", evil, "b", "--data", str(data)],  # the error message quotes it
        ["route", "a", "b", "--data", str(data), "--avoid-hub", "\x1b[31m"],
    ):
        _, out, err = run(argv, capsys)
        for text in (out, err):
            assert not any(c in text for c in "\x1b\x07\x9b\u202e"), (argv, text)
        if "json" in argv:
            json.loads(out)  # still valid JSON
