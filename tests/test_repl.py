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


@pytest.fixture
def name_cache(sandbox_dir):
    """make(**kw): a NameCache reading the test's sandbox on a host of its own."""
    from acli.hosts.sandbox import SandboxHost
    from acli.repl.names import NameCache

    made = []

    def make(**kw):
        cache = NameCache(lambda: SandboxHost(sandbox_dir), **kw)
        made.append(cache)
        return cache

    yield make
    for cache in made:
        cache.close()


def test_many_names_complete_by_prefix_as_a_scan_would():
    """SortedNames finds by bisection what a scan of every name finds."""
    from acli.repl.names import SortedNames, shown

    names = ["web1", "web10", "web2", "db", "a b", "a", "ab", '"q', "web1"]
    for prefix in ["", "w", "web1", "a", "a ", '"a', '"', "'a", "z", "web10x"]:
        scan = [shown(n) for n in sorted(set(names))
                if n.startswith(prefix) or shown(n).startswith(prefix)]
        assert SortedNames(names).starting(prefix) == scan, prefix


def test_the_menu_gets_the_first_names_and_how_many_more():
    from prompt_toolkit.document import Document

    from acli.repl.completer import MENU_LIMIT, AcliCompleter

    names = [f"vm{i:04d}" for i in range(MENU_LIMIT + 50)]
    got = list(AcliCompleter(lambda kind: names if kind == "vm" else []).get_completions(
        Document("vm.get vm0"), None))
    assert [c.text for c in got[:-1]] == names[:MENU_LIMIT]
    assert got[-1].text == "vm0" and got[-1].display_text == "... 50 more: type more"
    assert len(candidates("vm.get vm0", lambda kind: names)[1]) == len(names)  # not cut there


def test_name_cache_reads_every_kind_from_the_host(shell, name_cache):
    shell.ok("vm.create w1,w2 memory=64M")
    shell.ok("vm.on w2")  # running VMs and VMs that are off are listed apart
    shell.ok("net.create vlan.5 vlan=5")
    shell.ok('vm.snapshot_create w1 snapshot_name_list="before upgrade"')
    cache = name_cache()
    cache.changed()
    assert cache.settle(10)
    assert cache("vm") == ("w1", "w2") and "vlan.5" in cache("network")
    assert cache("snapshot") == ("before upgrade",)
    assert cache("container") and cache("image") == ()


def test_a_deleted_name_leaves_completion_one_read_later(shell, name_cache):
    shell.ok("vm.create gone,kept memory=64M")
    cache = name_cache()
    cache.changed()
    assert cache.settle(10) and cache("vm") == ("gone", "kept")
    shell.ok("-y vm.delete gone")
    cache.changed()  # what the shell does after every command
    assert cache.settle(10) and cache("vm") == ("kept",)


def test_names_older_than_max_age_are_read_again_when_completion_asks(shell, name_cache):
    cache = name_cache(max_age=3600)
    cache.changed()
    assert cache.settle(10) and cache("vm") == ()
    shell.ok("vm.create late memory=64M")  # as another tool would
    assert cache("vm") == () and cache.settle(10) and cache("vm") == ()  # young: not read again
    cache.max_age = 0.0  # now every name read is too old
    assert cache("vm") == ()  # answered from memory at once; a read is asked for
    assert cache.settle(10) and cache("vm") == ("late",)


class _Host:
    """The refresher's host, for providers that read nothing from it."""

    def catch_up(self):
        pass

    def shutdown(self):
        pass


def test_nothing_waits_for_a_slow_read():
    """Asking for names and completing from them return at once while a
    read is under way; the new names then replace the old ones whole."""
    import threading
    import time

    from acli.repl.names import NameCache

    release, reading = threading.Event(), threading.Event()
    reads = []

    def vms(host):
        reads.append(host)
        if len(reads) == 2:
            reading.set()
            release.wait(10)
        return [f"a{i}" for i in range(1, len(reads) + 1)]

    cache = NameCache(_Host, providers={"vm": vms})
    try:
        cache.changed()
        assert cache.settle(10) and cache("vm") == ("a1",)
        start = time.monotonic()
        cache.changed()
        assert reading.wait(10)
        assert cache("vm") == ("a1",) and not cache.settle(0.05)
        assert time.monotonic() - start < 1.0
        release.set()
        assert cache.settle(10) and cache("vm") == ("a1", "a2")
        assert reads[0] is reads[1]  # one host of its own, kept
    finally:
        release.set()
        cache.close()


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


def test_the_shell_runs_commands_while_names_are_still_being_read(repl, capsys, monkeypatch):
    """The prompt never waits for completion's names: with a read of VM names
    that does not end until the shell has, the shell runs its lines and
    leaves. (A timer ends the read after 20 s, so a shell that does wait
    fails this test instead of hanging it.)"""
    import threading

    release = threading.Event()

    def blocked(host):
        release.wait(60)
        return []

    monkeypatch.setattr("acli.repl.names.PROVIDERS", {"vm": blocked})
    valve = threading.Timer(20, release.set)
    valve.start()
    try:
        status, _ = repl("vm.create r1 memory=64M\rvm.list\rexit\r")
        waited = release.is_set()
    finally:
        release.set()
        valve.cancel()
    assert status == 0 and not waited
    assert "r1: complete" in capsys.readouterr().out


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
