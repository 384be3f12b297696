"""Clean-up and switch tracing shared by the real-host tests."""

from __future__ import annotations


def drop_pool(conn, name: str) -> None:
    """Remove a test's storage pool with its volumes, if it exists."""
    import libvirt

    try:
        pool = conn.storagePoolLookupByName(name)
    except libvirt.libvirtError:
        return
    if pool.isActive():
        for vol in pool.listAllVolumes():
            vol.delete(0)
        pool.destroy()
    pool.undefine()


def drop_networks(conn, prefix: str) -> None:
    """Remove the libvirt networks whose names start with `prefix`."""
    for net in conn.listAllNetworks():
        if net.name().startswith(prefix):
            if net.isActive():
                net.destroy()
            net.undefine()


def drop_bridge(name: str) -> None:
    import subprocess

    subprocess.run(["ovs-vsctl", "--timeout=10", "--if-exists", "del-br", name],
                   capture_output=True)


def _dp_ports() -> dict[str, str]:
    """Datapath port number -> port name, from ovs-appctl dpif/show."""
    import re
    import subprocess

    out = {}
    shown = subprocess.run(["ovs-appctl", "dpif/show"], capture_output=True, text=True, check=True)
    for line in shown.stdout.splitlines():
        m = re.match(r"\s+(\S+) \d+/(\d+):", line)
        if m:
            out[m.group(2)] = m.group(1)
    return out


def trace(bridge: str, flow: str) -> dict[str, int | None]:
    """Where the switch sends a frame: port name -> VLAN it leaves with
    (None = untagged), from ofproto/trace's datapath actions ({} = dropped)."""
    import re
    import subprocess

    done = subprocess.run(["ovs-appctl", "ofproto/trace", bridge, flow], capture_output=True,
                          text=True)
    assert done.returncode == 0, f"ofproto/trace {flow}: {done.stderr}"
    actions = re.search(r"^Datapath actions: (.*)$", done.stdout, re.M).group(1)
    m = re.search(r"dl_vlan=(\d+)", flow)
    vlan = int(m.group(1)) if m else None
    names = _dp_ports()
    out = {}
    for action in re.findall(r"push_vlan\(vid=\d+[^)]*\)|pop_vlan|\d+", actions):
        if action == "pop_vlan":
            vlan = None
        elif action.startswith("push_vlan"):
            vlan = int(re.search(r"vid=(\d+)", action).group(1))
        else:
            out[names[action]] = vlan
    return out
