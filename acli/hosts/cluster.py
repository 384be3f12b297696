"""A cluster: the hosts acli manages as one, each a Host of its own.

One host (no cluster file) is a cluster of one, and then nothing here runs
a thread or waits: the session uses that host as before. With several, a
member that does not answer within ANSWER_WAIT is marked down for the
command and skipped; a call stuck on it is left to its thread (its Host is
dropped and opened afresh next time), so a frozen host never hangs the
shell and never blocks commands on the others' VMs.

A Host is never shared between threads: `each()` gives every member's
calls to one thread of their own.
"""

from __future__ import annotations

import threading
import time

from acli.errors import AcliError, BackendError, NotFound

ANSWER_WAIT = 3.0  # seconds a member may take to answer before it counts as down

UP = "up"
DOWN = "down"


class Member:
    """One host of the cluster: its name in the cluster file, how to open
    it, and whether it answered the last time it was asked."""

    __slots__ = ("name", "spec", "_opener", "_host", "state", "reason")

    def __init__(self, name: str, spec, opener):
        self.name = name
        self.spec = spec
        self._opener = opener
        self._host = None
        self.state = UP
        self.reason = ""

    @property
    def host(self):
        if self._host is None:
            self._host = self._opener(self.spec)
        return self._host

    @property
    def opened(self) -> bool:
        return self._host is not None

    def abandon(self, reason: str) -> None:
        """The member did not answer: its Host may be in use by a stuck
        thread, so it is dropped (not closed) and opened afresh next time."""
        self._host = None
        self.state = DOWN
        self.reason = reason

    def close(self, shutdown: bool = False) -> None:
        if self._host is not None:
            (self._host.shutdown if shutdown else self._host.close)()
            if shutdown:
                self._host = None

    def __repr__(self):
        return f"Member({self.name!r}, {self.state})"


class Cluster:
    def __init__(self, members: list[Member]):
        self.members = members
        self.single = len(members) == 1
        self._probed_at = None  # time.monotonic() of the last probe
        # Members that have just joined and must take the cluster's objects
        # from the others before anything else (commands/routing.py).
        self.joined: list[Member] = []
        # A command changed what every host holds (commands/routing.py then
        # raises the cluster generation: acli/cluster/objects.py).
        self.objects_changed = False

    # finding members ---------------------------------------------------------
    def first(self) -> Member:
        """The first member that answers (the only one of a cluster of one):
        where cluster-wide objects are read."""
        if self.single:
            return self.members[0]
        for member in self.answering():
            return member
        raise BackendError("no host of the cluster answers: "
                           + "; ".join(f"{m.name}: {m.reason}" for m in self.members))

    def member_of(self, host) -> Member:
        for member in self.members:
            if member._host is host:
                return member
        raise KeyError(host)

    def named(self, text: str, column: int | None = None) -> Member:
        """A member by its name, its libvirt host UUID or its address."""
        for member in self.members:
            if text == member.name:
                return member
        for member, info in self.each(lambda host: host.info()):
            if not isinstance(info, BaseException) and text in (info.uuid, info.address, info.name):
                return member
        from acli.errors import suggest

        raise NotFound(f"Unknown name: {text}{suggest(text, [m.name for m in self.members])}",
                       column)

    # asking every member -------------------------------------------------------
    def answering(self, fresh: bool = False) -> list[Member]:
        """The members that answer now, in the file's order. Asked once a
        command (the session calls `forget()` between commands)."""
        if self.single:
            return list(self.members)
        if fresh or self._probed_at is None:
            for member, result in self.each(lambda host: host.check_answers(), only_up=False):
                if isinstance(result, BaseException):
                    member.state = DOWN
                    member.reason = getattr(result, "message", None) or str(result)
                else:
                    member.state, member.reason = UP, ""
            self._probed_at = time.monotonic()
        return [m for m in self.members if m.state == UP]

    def forget(self) -> None:
        """Between commands: who answers is asked again next time."""
        self._probed_at = None

    def each(self, fn, members=None, only_up: bool = True, wait: float = ANSWER_WAIT) -> list:
        """[(member, fn(member.host) or the exception it raised)], in
        order, every member at once on a thread of its own. A member that
        takes longer than `wait` is marked down and gets BackendError."""
        if members is None:
            members = [m for m in self.members if m.state == UP] if only_up else list(self.members)
        if len(members) == 1 and self.single:
            member = members[0]
            return [(member, _call(fn, member))]
        results: dict[int, object] = {}

        def run(index, member):
            results[index] = _call(fn, member)

        threads = []
        for index, member in enumerate(members):
            thread = threading.Thread(target=run, args=(index, member), daemon=True,
                                      name=f"acli-host-{member.name}")
            thread.start()
            threads.append(thread)
        deadline = time.monotonic() + wait
        out = []
        for index, (member, thread) in enumerate(zip(members, threads)):
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive() or index not in results:
                reason = f"no answer within {wait:g} s"
                member.abandon(reason)
                out.append((member, BackendError(f"host {member.name}: {reason}")))
                continue
            out.append((member, results[index]))
        return out

    # lifetime ------------------------------------------------------------------
    def close(self) -> None:
        for member in self.members:
            member.close()

    def shutdown(self) -> None:
        for member in self.members:
            member.close(shutdown=True)


def _call(fn, member: Member):
    """fn(member.host), or the exception it raised (a libvirt error as an
    AcliError, so one line describes it)."""
    try:
        return fn(member.host)
    except AcliError as err:
        return err
    except Exception as err:  # noqa: BLE001 - reported per host, never a traceback
        import libvirt

        if isinstance(err, libvirt.libvirtError):
            from acli.hosts.libvirt_errors import translate

            return translate(err)
        return err
