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


def test_tables_with_acli_times_normalize_alike_whatever_the_date():
    """aCLI's time is as long as its day's and month's names: the normalizer
    lays the table out again, or a transcript would change with the date."""
    from acli.transcript.normalize import Normalizer

    def table(when):
        width = max(len("Creation Time"), len(when))
        return (f"{'Snapshot Name':<15}{'Creation Time':<{width + 2}}VM Name\n"
                f"{'before':<15}{when:<{width + 2}}v1\n")

    short = table("Monday May 04 2026, 09:27:16 AM")
    long = table("Wednesday September 23 2026, 11:02:59 PM")
    assert short != long
    assert Normalizer().normalize(short) == Normalizer().normalize(long) == \
        "Snapshot Name  Creation Time  VM Name\nbefore         <time>         v1\n"
