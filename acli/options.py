"""acli's own command-line options (before the aCLI command)."""

from __future__ import annotations

import os
from acli.output import OUTPUT_FORMATS
from acli.plain import Plain

from acli.errors import UsageError

USAGE = """usage: acli [options] [COMMAND [ARG...]]
       acli [options] -f FILE | < FILE
       acli --replay TRANSCRIPT...   |   acli --record TRANSCRIPT

Runs one aCLI command, a batch of them (stdin not a terminal, or -f), or the
interactive shell (on a terminal).

A command given as one argument is read as a whole line:
  acli "vm.create web1 memory=2G"
Given as several, each argument is one word, blanks and quotes included:
  acli vm.on "Prism Central"            (one VM)
  acli vm.snapshot_create web1 "snapshot_name_list=before upgrade"
Globs, ranges and the commas of a list keep their meaning (acli vm.on "web*").

options:
  -c, --connect URI     libvirt URI of the host (e.g. qemu:///system)
  --ovsdb REMOTE        OVSDB remote (default unix:/var/run/openvswitch/db.sock)
  --sandbox[=DIR]       use the embedded sandbox host (also ACLI_SANDBOX=DIR)
  --hosts N             with --sandbox: a sandbox cluster of N hosts (kept in
                        DIR; later runs need only --sandbox DIR)
  --cluster FILE        the cluster file naming the hosts (also ACLI_CLUSTER;
                        else /etc/acli/cluster.toml or
                        $XDG_CONFIG_HOME/acli/cluster.toml; none: one host)
  -o, --output FORMAT   text (default), json or json-pretty
  -y, --yes             answer yes to confirmations (without it a one-shot
                        command asks on the terminal, or reads the answer
                        from stdin when stdin is a pipe: echo yes | acli ...)
  -f, --file FILE       run the commands in FILE
  --keep-going          in a batch, run on after a failing line (exit 1 at the end)
  --replay FILE...      replay transcripts against the host; print a diff on mismatch
  --record FILE         run the shell and write the session to FILE as a transcript
  --debug               show tracebacks of internal errors
  --version             print the version
  -h, --help            print this help"""


class Options(Plain):
    __slots__ = ("connect", "ovsdb", "sandbox", "cluster", "hosts", "output", "yes", "file", "keep_going", "replay",
                 "record", "debug", "version", "help", "words")

    def __init__(self, connect: str | None = None, ovsdb: str | None = None,
                 sandbox: str | None = None, output: str = "text", yes: bool = False,
                 file: str | None = None, keep_going: bool = False, replay: list | None = None,
                 record: str | None = None, debug: bool = False, version: bool = False,
                 help: bool = False, words: list | None = None, cluster: str | None = None,
                 hosts: int | None = None):
        self.cluster = cluster  # the cluster file given with --cluster
        self.hosts = hosts  # --hosts N: the sandbox cluster's size
        self.connect = connect
        self.ovsdb = ovsdb
        self.sandbox = sandbox  # "" means the default sandbox directory
        self.output = output
        self.yes = yes
        self.file = file
        self.keep_going = keep_going
        self.replay = [] if replay is None else replay
        self.record = record
        self.debug = debug
        self.version = version
        self.help = help
        self.words = [] if words is None else words


_VALUED = {"-c": "connect", "--connect": "connect", "--ovsdb": "ovsdb", "-o": "output",
           "--output": "output", "-f": "file", "--file": "file", "--record": "record",
           "--cluster": "cluster", "--hosts": "hosts"}
_FLAGS = {"-y": "yes", "--yes": "yes", "--keep-going": "keep_going", "--debug": "debug",
          "--version": "version", "-h": "help", "--help": "help"}


def parse_options(argv: list[str], is_command=lambda word: False) -> Options:
    """Options stop at the first word that is not one; the rest is the command.

    `--sandbox` takes a directory only as `--sandbox=DIR`, or as the next word
    when that word is not a command (`acli --sandbox vm.list` runs vm.list).
    """
    opts = Options()
    i = 0
    while i < len(argv):
        word = argv[i]
        name, eq, inline = word.partition("=")
        if word == "--":
            i += 1
            break
        if any(c.isspace() for c in word):
            break  # a whole aCLI line in one word: `acli "-y vm.delete x"`
        if name in _VALUED:
            if eq:
                value = inline
            else:
                i += 1
                if i >= len(argv):
                    raise UsageError(f"option {word} needs a value")
                value = argv[i]
            setattr(opts, _VALUED[name], value)
        elif word in _FLAGS:
            setattr(opts, _FLAGS[word], True)
        elif name == "--sandbox":
            if eq:
                opts.sandbox = inline
            elif i + 1 < len(argv) and not argv[i + 1].startswith("-") and not is_command(argv[i + 1]):
                i += 1
                opts.sandbox = argv[i]
            else:
                opts.sandbox = ""
        elif word == "--replay":
            opts.replay = argv[i + 1:]
            if not opts.replay:
                raise UsageError("--replay needs at least one transcript file")
            return opts
        elif word.startswith("-") and not word.startswith("-o") and word not in ("-",):
            raise UsageError(f"unknown option {word} (see acli --help)")
        else:
            break
        i += 1
    opts.words = argv[i:]
    if opts.hosts is not None:
        try:
            opts.hosts = int(opts.hosts)
        except ValueError:
            raise UsageError(f"--hosts {opts.hosts}: give a number of hosts") from None
    if opts.output not in OUTPUT_FORMATS:
        raise UsageError(f"unknown output format {opts.output} (text, json or json-pretty)")
    if opts.sandbox is None and os.environ.get("ACLI_SANDBOX") and not opts.connect:
        opts.sandbox = os.environ["ACLI_SANDBOX"]
    return opts


def join_words(words: list[str], is_list=lambda command, key: False) -> str:
    """argv words as one aCLI line.

    One word is a whole line as written: `acli "vm.create web1 memory=2G"`.
    With several, the first names the command and each one after it is one
    word of the line, as the shell split them: `acli vm.on "Prism Central"`
    names one VM. Blanks, quotes, `#`, braces (and in a word that is not a
    keyword's value, `=`) are quoted so they stay inside the word; `*`, `?`,
    `[..]` and the commas of a list keep their meaning. For a parameter
    that takes a comma list (`is_list(command, key)`, `key` a keyword's
    name or a positional's index) each item is one word of its own, so
    `snapshot_name_list=s1,s 2` is two names; any other value is one,
    commas and all. A value that opens with a quote was written in aCLI's
    quoting (`'snapshot_name_list="a b"'`) and is taken as written."""
    if len(words) == 1:
        return words[0]
    command = words[0]
    out = [command]
    position = 0
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if eq and key.isidentifier():  # `key=` stays empty, as typed
            out.append(f"{key}={_one_word(value, is_list(command, key), _IN_VALUE) if value else ''}")
        else:
            out.append(_one_word(word, is_list(command, position), _IN_POSITIONAL))
            position += 1
    return " ".join(out)


# What ends a bare word or means something else inside one. Quoted, these
# characters are plain text; what is not here keeps its meaning.
_IN_VALUE = frozenset("\"'#{}")
_IN_POSITIONAL = _IN_VALUE | {"="}


def _one_word(text: str, is_list: bool, special: frozenset) -> str:
    """`text` written so that the line reads it as one word (one item per
    comma if `is_list`, else one item)."""
    if not text:
        return '""'
    if text[0] in "\"'":
        return text
    if is_list:
        return ",".join(_quoted_runs(item, special) for item in text.split(","))
    return _quoted_runs(text, special | {","})


def _quoted_runs(text: str, special: frozenset) -> str:
    """`text` with each run of blanks and `special` characters in double
    quotes: web"  "1 is one word, and a * outside the quotes is still a glob."""
    out, run = [], []
    for ch in text:
        if ch.isspace() or ch in special:
            run.append(ch)
            continue
        if run:
            out.append(_quoted("".join(run)))
            run = []
        out.append(ch)
    if run:
        out.append(_quoted("".join(run)))
    return "".join(out)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
