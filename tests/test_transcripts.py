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


def test_shell_steps_run_the_acli_command_on_the_same_host():
    """`$ ` lines run /bin/sh with `acli` on the transcript's host: what
    argv and pipes do is shown as exactly as the shell's own lines."""
    from acli.transcript.format import parse, render

    text = ("<acropolis> vm.create web1 memory=64M\n"
            "$ acli vm.list | tail -n 1\n"
            "$ acli vm.get web2\n"
            "<acropolis> vm.list\n")
    assert [s.shell for s in parse(text)] == [False, True, True, False]
    assert render(parse(text)) == text
    assert replay_in_fresh_sandbox(text) == (
        "<acropolis> vm.create web1 memory=64M\nweb1: complete\n"
        "$ acli vm.list | tail -n 1\nweb1     <uuid:1>\n"
        "$ acli vm.get web2\n"
        "Error: Unknown name: web2 (did you mean web1?)\n[exit 1]\n"
        "<acropolis> vm.list\nVM name  VM UUID\nweb1     <uuid:1>\n")
