"""Every golden transcript under transcripts/, replayed on a fresh sandbox and
compared exactly. `pytest --update-transcripts` rewrites them; read the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from acli.transcript.replay import diff, replay_in_fresh_sandbox

TRANSCRIPTS = sorted((Path(__file__).resolve().parent.parent / "transcripts").rglob("*.t"))


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_transcript(path, request):
    expected = path.read_text()
    actual = replay_in_fresh_sandbox(expected)
    if actual != expected and request.config.getoption("--update-transcripts"):
        path.write_text(actual)
        return
    assert actual == expected, "\n" + diff(expected, actual, str(path))


def test_there_are_transcripts():
    assert len(TRANSCRIPTS) >= 1
