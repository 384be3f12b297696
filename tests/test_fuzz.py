"""Random and mutated lines thrown at the parser and the executor: every one
ends in success or a typed one-line error, never a traceback or a hang, and
a rejected line changes nothing on the host."""

from __future__ import annotations

import hashlib
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acli.commands import load_all
from acli.errors import AcliError
from acli.syntax.parser import parse_line

SEEDS = [
    "vm.create web[01..03] memory=64M num_vcpus=2",
    "vm.nic_create fooVM vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10",
    'vm.update web01 description="a b" memory=128M',
    "vm.on web*",
    "-o json vm.get web01",
    "vm.clone c[1..2] clone_from_vm=web01",
    "net.update_virtual_switch vs0 active_uplink={h1:eth2; h2:eth3}",
    "vm.delete db[0-9]",
]
ALPHABET = st.sampled_from(list("vm.create web01[]..,*?=\"'{}:;# -yo json memory=64M 10,20 kTrunked\\\t"))


@st.composite
def mutated(draw):
    line = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        pos = draw(st.integers(0, len(line)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(st.text(ALPHABET, min_size=1, max_size=4))
        if action == "insert":
            line = line[:pos] + chunk + line[pos:]
        elif action == "delete":
            line = line[:pos] + line[pos + len(chunk):]
        else:
            line = line[:pos] + chunk + line[pos + len(chunk):]
    return line


lines = st.one_of(mutated(), st.text(max_size=60))


@settings(max_examples=400, deadline=None)
@given(lines)
def test_parser_never_crashes(line):
    try:
        parse_line(line)
    except AcliError as err:
        assert "\n" not in err.message and err.message


def _state(shell) -> str:
    """A digest of everything the host holds (domains and their XML)."""
    import libvirt

    conn = shell.host.conn
    parts = sorted(d.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) + str(d.state()[0])
                   for d in conn.listAllDomains())
    return hashlib.sha1("".join(parts).encode()).hexdigest()


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lines)
def test_executor_gives_success_or_one_typed_error(shell, line):
    if not shell.host.conn.listAllDomains():
        shell.ok("vm.create web01,web02,db1 memory=64M")
    before = _state(shell)
    status, out, err = shell(line)
    assert "Traceback" not in out + err
    assert "internal error" not in err, f"{line!r}: {err}"
    if status != 0 and "json" not in line:
        messages = err.splitlines()
        assert messages and all(m.strip() for m in messages), err
        # several lines only when several entities each failed: "LABEL: why"
        assert len(messages) == 1 or all(": " in m for m in messages), err
    if status != 0 and "json" in line and not err:
        import json

        assert json.loads(out.splitlines()[-1])["status"] == status
    if status == 2:  # rejected before anything ran: nothing may have changed
        assert _state(shell) == before, f"{line!r} was rejected but changed the host"


def test_every_command_rejects_garbage_keywords_without_change(shell):
    shell.ok("vm.create keep memory=64M")
    before = _state(shell)
    for name in load_all():
        status, _, err = shell(f"{name} zzz_not_a_key=1")
        assert status == 2, name
        assert "Unknown keyword argument: zzz_not_a_key" in err or "Unexpected argument" in err
    assert _state(shell) == before
    assert not os.environ.get("ACLI_SANDBOX")
