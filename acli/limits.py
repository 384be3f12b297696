"""How much one command may ask for, in one place.

Everything acli makes lives on the host, and the sandbox reads and writes
its whole state at every command: a VM with a trunk of every VLAN and
a thousand snapshots made a 130 MB node file that every later command took
19 s to load. These bounds keep each command, and what it leaves behind,
of a size the host (and the sandbox) can carry; docs/choices.md gives the
figures measured at them (bench/bench_sandbox.py).
"""

from __future__ import annotations

MAX_LINE = 65_536  # characters; a trunk of every VLAN written out is 19,000
MAX_TEXT = 4_096  # characters of one text value (a description, a URL, a path)
MAX_LIST = 4_094  # items of one comma list: every VLAN once
MAX_NEW_NAMES = 1_000  # entities one command makes (vm.create, vm.clone; ranges included)
MAX_RANGE_SIZE = 10_000  # names one word's ranges stand for (web[1..10000] names existing VMs)
MAX_SNAPSHOTS_PER_VM = 32  # each holds a whole copy of the VM's definition


def summary() -> str:
    """The limits, as help states them."""
    return (f"Limits: a line holds at most {MAX_LINE:,} characters, a text value "
            f"{MAX_TEXT:,}, a list {MAX_LIST:,} items, a range {MAX_RANGE_SIZE:,} names; one "
            f"command makes at most {MAX_NEW_NAMES:,} VMs; a VM has at most "
            f"{MAX_SNAPSHOTS_PER_VM} snapshots.")
