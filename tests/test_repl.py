"""The REPL's pure parts (completion, colouring) and a few whole sessions
driven through a pipe, as prompt_toolkit's own tests do."""

from __future__ import annotations

import pytest

import acli.commands  # noqa: F401
from acli.repl.completer import candidates
from acli.repl.lexer import STYLE, fragments

NAMES = {"vm": ["web01", "web02", "db1"], "network": ["vlan.10"],
         "snapshot": ["before upgrade", "nightly"], "image": ["tiny"]}


def complete(text):
    return candidates(text, lambda kind: NAMES.get(kind, []))


def test_commands_complete_from_the_table():
    replace, found = complete("vm.cr")
    assert replace == 5 and found == ["vm.create"]
    assert "vm.list" in complete("")[1] and "exit" in complete("")[1]


def test_keywords_complete_without_those_given():
    _, found = complete("vm.create web1 memory=2G ")
    assert "num_vcpus=" in found and "memory=" not in found


def test_enum_and_bool_values_complete():
    assert complete("vm.create x machine_type=")[1] == ["pc", "q35"]
    assert complete("vm.create x uefi_boot=t")[1] == ["true"]


def test_entity_names_complete_for_positionals_and_list_items():
    replace, found = complete("vm.on web")
    assert replace == 3 and found == ["web01", "web02"]
    replace, found = complete("vm.on web01,d")
    assert replace == 1 and found == ["db1"]
    assert complete("vm.clone c1 clone_from_vm=w")[1] == ["web01", "web02"]


def test_names_with_blanks_complete_quoted():
    assert complete("vm.clone c1 clone_from_snapshot=b")[1] == ['"before upgrade"']
    assert complete('vm.clone c1 clone_from_snapshot="be')[1] == ['"before upgrade"']
    assert complete("vm.disk_create v clone_from_image=t")[1] == ["tiny"]
    assert complete("vm.restore v snapshot_name=n")[1] == ["nightly"]


def test_name_cache_reads_every_kind_from_the_host(shell):
    from acli.repl.names import NameCache

    shell.ok("vm.create w1 memory=64M")
    shell.ok("net.create vlan.5 vlan=5")
    shell.ok('vm.snapshot_create w1 snapshot_name_list="before upgrade"')
    cache = NameCache()
    cache.refresh(shell.session)
    assert cache("vm") == ["w1"] and "vlan.5" in cache("network")
    assert cache("snapshot") == ["before upgrade"]
    assert cache("container") and cache("image") == []


def test_options_before_the_command():
    assert complete("-")[1] == ["-y", "-o"]
    assert complete("-y vm.li")[1] == ["vm.list"]


def test_unknown_command_offers_nothing():
    assert complete("vm.nope x")[1] == []


def test_colours_cover_the_line_exactly():
    line = 'vm.create web1 memory=2G description="a b" # note'
    parts = fragments(line)
    assert "".join(text for _, text in parts) == line
    styles = dict((text, style) for style, text in parts)
    assert styles["vm.create"] == STYLE["command"]
    assert styles["memory="] == STYLE["key"]
    assert styles['"a b"'] == STYLE["string"]
    assert styles["# note"] == STYLE["comment"]
    assert fragments("vm.nope")[0][0] == STYLE["unknown"]


@pytest.fixture
def repl(sandbox_dir, monkeypatch):
    """Run the real REPL on piped keystrokes; returns what it printed."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from acli.options import parse_options
    from acli.repl import app

    def run(keys: str, extra=()):
        printed = []
        monkeypatch.setattr("builtins.print", lambda *a, **k: printed.append(" ".join(map(str, a))))
        with create_pipe_input() as pipe:
            pipe.send_text(keys)
            with create_app_session(input=pipe, output=DummyOutput()):
                status = app.run_repl(parse_options([f"--sandbox={sandbox_dir}", *extra]))
        return status, printed

    return run


def test_repl_session_runs_commands_and_leaves_on_exit(repl, capsys, sandbox_dir):
    status, printed = repl("vm.create r1 memory=64M\rvm.list\rexit\r")
    assert status == 0
    assert printed[0].startswith("acli ") and "sandbox host" in printed[0]
    out = capsys.readouterr().out
    assert "r1: complete" in out and "VM name  VM UUID" in out


def test_repl_confirmation_answered_no_keeps_the_vm(repl, capsys, sandbox_dir):
    repl("vm.create k1 memory=64M\rvm.delete k1\rno\rvm.list\r\x04")
    captured = capsys.readouterr()
    assert "cancelled" in captured.err
    assert captured.out.count("k1") >= 2  # created, and still listed


def test_repl_records_a_transcript_that_replays(repl, capsys, tmp_path, sandbox_dir):
    from acli.transcript.replay import replay_in_fresh_sandbox

    path = tmp_path / "session.t"
    repl("vm.create t1 memory=64M\rvm.list\rvm.get nope\rexit\r", extra=["--record", str(path)])
    text = path.read_text()
    assert "<acropolis> vm.list" in text and "t1       <uuid:1>" in text
    assert "Error: Unknown name: nope (column 8)" in text and "[exit 1]" in text
    assert replay_in_fresh_sandbox(text) == text


def test_a_bracketed_paste_of_several_lines_runs_each(repl, capsys, sandbox_dir):
    paste = "\x1b[200~vm.create p1 memory=64M\nvm.create p2 memory=64M\nvm.li\x1b[201~"
    repl(paste + "st\rexit\r")
    out = capsys.readouterr().out
    assert "p1: complete" in out and "p2: complete" in out
    # the part after the last newline waited in the prompt and was finished by hand
    assert "VM name  VM UUID" in out


def test_history_is_private_and_keeps_no_password(repl, capsys, tmp_path):
    import os
    import stat

    folder = os.path.join(os.environ["XDG_STATE_HOME"], "acli")
    path = os.path.join(folder, "history")
    os.makedirs(folder, mode=0o700)
    with open(path, "w") as f:  # as an older acli left it: 0644
        f.write("\n# then\n+vm.list\n")
    os.chmod(path, 0o644)
    repl("image.create i1 source_url=http://admin:s3cret@127.0.0.1:9/x.img\rexit\r")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = open(path).read()
    assert "s3cret" not in text and "admin" not in text
    assert "+image.create i1 source_url=http://127.0.0.1:9/x.img\n" in text
    assert "s3cret" not in capsys.readouterr().err
