"""Run lines against a host: parse, bind, execute, render, and map errors to
exit statuses. One Session serves every mode (one-shot, batch, REPL, replay)."""

from __future__ import annotations

from acli.commands.bind import bind, bind_plain
from acli.echo import one_line_message
from acli.errors import EXIT_FAILED, EXIT_INTERRUPTED, AcliError, Interrupted, Refused
from acli.limits import MAX_LINE
from acli.output import JSON_FORMATS
from acli.output.results import Task, Tasks
from acli.plain import Plain
from acli.syntax.parser import parse_line

YES = "yes"  # aCLI's answer; scripts pipe `yes yes |`, as `y` would not do


class Where(Plain):
    """Where a line came from, for error messages: batch files name FILE:LINE."""

    __slots__ = ("source", "line", "interactive")

    def __init__(self, source: str | None = None, line: int | None = None,
                 interactive: bool = False):
        self.source = source
        self.line = line
        self.interactive = interactive


class CommandContext:
    """What a handler may use: the host, confirmation, per-entity tasks."""

    __slots__ = ("session", "host", "yes", "shows_uuids", "cluster", "shared")

    def __init__(self, session: "Session", host, yes: bool, shows_uuids: bool = True,
                 cluster=None):
        self.session = session
        self.host = host  # None for a command that needs no host
        self.yes = yes
        self.shows_uuids = shows_uuids  # JSON shows a task's UUID; text does not
        # hosts.cluster.Cluster: every host; `host` is the one this call of
        # the handler works on (commands/routing.py picks it)
        self.cluster = cluster
        # What the calls of one handler on several hosts share (a new
        # network's UUID, the same on every host)
        self.shared = {}

    def confirm(self, question: str) -> None:
        """Return if the user answers yes (or gave -y); raise Refused otherwise."""
        if self.yes:
            return
        ask = self.session.ask
        if ask is None:
            raise Refused(f"{question.rstrip('?')}: confirmation needed; add -y (no terminal to ask)")
        answer = ask(f"{question} (yes/no) ", self.shows_uuids)
        if answer is None:
            raise Refused(f"{question.rstrip('?')}: no answer (the input ended); nothing was "
                          "changed; add -y to skip the question")
        if answer.strip().lower() != YES:
            raise Refused("cancelled; nothing was changed")

    def each(self, items, action, label=None, uuid=None) -> Tasks:
        """Run `action` on every item; one Task each, failures kept, not raised.

        `label` and `uuid` read an item's name and UUID; by default the item
        is a libvirt object (name(), UUIDString()). The UUID is read only
        when the output shows it."""
        shows_uuids = self.shows_uuids
        tasks = []
        for item in items:
            try:
                action(item)
                error = None
            except AcliError as err:
                error = err.message
            except KeyboardInterrupt as err:
                raise _stopped(err, tasks, items, label) from None
            name = label(item) if label else item.name()
            if error is not None or not shows_uuids:
                tasks.append(Task(name, error))
            else:
                tasks.append(Task(name, None, uuid(item) if uuid else item.UUIDString()))
        return Tasks(tasks)


def _stopped(err: KeyboardInterrupt, tasks: list, items, label) -> AcliError:
    """An interrupt between the items of a per-item command: which were done."""
    from acli.interrupts import what

    items = list(items)
    done = [t.label for t in tasks if t.ok]
    todo = [label(i) if label else i.name() for i in items[len(tasks):]]
    said = f"{what(err)} after {len(tasks)} of {len(items)}"
    if done:
        said += f"; done: {', '.join(done[:10])}{' ...' if len(done) > 10 else ''}"
    said += f"; not done: {', '.join(todo[:10])}{' ...' if len(todo) > 10 else ''}"
    return Interrupted(said)


class Session:
    def __init__(self, open_host, sink, *, yes: bool = False, output: str = "text",
                 ask=None, debug: bool = False):
        # makes the hosts: a hosts.cluster.Cluster, or one Host (a cluster of one)
        self._open_host = open_host
        self._cluster = None
        self.sink = sink
        self.yes = yes
        self.output = output
        # callable(question, json_output) -> the answer, or None if the input
        # ended; None when nobody can answer (a batch reads lines, not answers).
        # json_output: stdout carries JSON, so a question must go elsewhere.
        self.ask = ask
        self.debug = debug

    @property
    def cluster(self):
        if self._cluster is None:
            from acli.hosts.cluster import Cluster, Member

            made = self._open_host()
            if not isinstance(made, Cluster):
                made = Cluster([Member("", None, lambda _spec, host=made: host)])
            self._cluster = made
        return self._cluster

    @property
    def host(self):
        """The host a command of one host works on: the only one, or the
        first of a cluster that answers."""
        return self.cluster.first().host

    @property
    def host_opened(self) -> bool:
        return self._cluster is not None

    def hold(self):
        """Around a batch: every host held (their locks kept) to its end."""
        import contextlib

        cluster = self.cluster
        if cluster.single:
            return cluster.members[0].host.hold()
        stack = contextlib.ExitStack()
        for member in cluster.answering():
            stack.enter_context(member.host.hold())
        return stack

    def close(self):
        """End of the session: buffered output out, the hosts let go."""
        try:
            self.sink.flush()
        finally:
            self._close_host()

    def _close_host(self):
        if self._cluster is not None:
            self._cluster.shutdown()
            self._cluster = None

    def run_line(self, text: str, where: Where | None = None) -> int:
        """Run one line; print its result or error; return its exit status."""
        where = where or Where()
        fmt = self.output
        try:
            stripped = text.rstrip()
            # most lines of a script are plain; an overlong one goes to
            # parse_line to be refused
            inv = bind_plain(stripped) if stripped and len(stripped) <= MAX_LINE else None
            if inv is None:
                parsed = parse_line(text)
                if parsed.command is None:  # blank or a comment
                    return 0
                fmt = parsed.output or fmt
                inv = bind(parsed)
            else:
                fmt = inv.output or fmt
            result = self._execute(inv, fmt)
        except AcliError as err:
            self._report(err.message, err.column, err.status, fmt, where)
            return err.status
        except KeyboardInterrupt as err:
            from acli.interrupts import what

            self._report(what(err), None, EXIT_INTERRUPTED, fmt, where)
            return EXIT_INTERRUPTED
        except Exception as err:  # a bug: one line unless --debug
            if self.debug:
                raise
            self._report(f"internal error: {type(err).__name__}: {err} (run with --debug for details)",
                         None, EXIT_FAILED, fmt, where)
            return EXIT_FAILED
        if isinstance(result, Tasks) and not result.ok:
            if fmt == "text":
                self.sink.result(fmt, result, 0, None)
                for task in result.tasks:
                    if not task.ok:
                        self._report(f"{task.label}: {task.error}", None, EXIT_FAILED, fmt, where)
            else:
                self.sink.result(fmt, None, EXIT_FAILED, result.failure_summary())
            return EXIT_FAILED
        self.sink.result(fmt, result, 0, None)
        return 0

    def _execute(self, inv, fmt: str):
        cmd = inv.command
        if not cmd.needs_host:
            return cmd.handler(CommandContext(self, None, self.yes or inv.yes), **inv.args)
        if cmd.mutates and fmt == "text":
            # only a change starts tasks; their `NAME: pending` lines go out
            # as each starts (JSON output has one document: the result)
            from acli.tasklines import listening

            with listening(self.sink.pending):
                return self._run(cmd, inv, fmt)
        return self._run(cmd, inv, fmt)

    def _run(self, cmd, inv, fmt: str):
        cluster = self.cluster
        if cluster.single:
            host = cluster.members[0].host
            ctx = CommandContext(self, host, self.yes or inv.yes, fmt in JSON_FORMATS, cluster)
            with host.operation(cmd.mutates):
                return cmd.handler(ctx, **inv.args)
        from acli.commands.routing import run_on_cluster

        cluster.forget()
        ctx = CommandContext(self, None, self.yes or inv.yes, fmt in JSON_FORMATS, cluster)
        return run_on_cluster(ctx, cmd, inv.args)

    def _report(self, message: str, column, status: int, fmt: str, where: Where):
        # every failure goes out through here: one line, no password, no
        # megabyte word repeated back
        message = one_line_message(message)
        if fmt in JSON_FORMATS:
            self.sink.result(fmt, None, status, message)
            return
        self.sink.error(format_error(message, column, where))


def host_opener(opts):
    """A function that opens the hosts the options name: a new Cluster (its
    own connections) at each call."""
    from acli.hosts.select import open_cluster

    return lambda: open_cluster(opts.connect, opts.ovsdb, opts.sandbox, opts.cluster, opts.hosts)


def make_session(opts, sink=None, ask=None) -> Session:
    """A Session on the host the options name (opened when a line needs it)."""
    from acli.output.sink import Sink

    return Session(host_opener(opts), sink or Sink(), yes=opts.yes, output=opts.output,
                   ask=ask, debug=opts.debug)


def format_error(message: str, column, where: Where) -> str:
    if where.source is not None:
        place = f"{where.source}:{where.line}:"
        if column:
            place += f"{column}:"
        return f"{place} {message}"
    if column and where.interactive:
        return f"Error: {message} (column {column})"
    return f"Error: {message}"


__all__ = ["Session", "Where", "host_opener", "make_session"]
