"""What networking tests read back from the sandbox: its OVSDB (through
ovs-vsctl, the host's own tool) and a VM's NIC MACs."""

from __future__ import annotations

import re
import subprocess


def vsctl(shell, *args) -> str:
    done = subprocess.run(["ovs-vsctl", f"--db={shell.host.ovsdb_remote()}", "--no-wait", *args],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def port_vlans(shell, mac) -> dict:
    """tag, trunks and vlan_mode of the OVS port of the NIC with this MAC."""
    name = vsctl(shell, "--bare", "--columns=name", "find", "Interface",
                 f'external_ids:attached-mac="{mac}"')
    assert name, f"no port for {mac}"
    return {c: vsctl(shell, "get", "Port", name, c) for c in ("tag", "trunks", "vlan_mode")}


def port_of(shell, mac) -> dict:
    """The OVS port of the NIC with this MAC: name, tag, trunks, vlan_mode, external_ids."""
    name = vsctl(shell, "--bare", "--columns=name", "find", "Interface",
                 f'external_ids:attached-mac="{mac}"')
    out = {"name": name, **port_vlans(shell, mac)}
    out["external_ids"] = vsctl(shell, "get", "Interface", name, "external_ids")
    return out


def macs(shell, vm) -> list[str]:
    return re.findall(r'mac_addr: "([0-9a-f:]+)"', shell.ok(f"vm.nic_get {vm}"))
