"""Managed networks' DHCP servers on a host that runs them (caps.dhcp_servers):
per network, a network namespace, an OVS internal port on the network's
bridge tagged with its VLAN and moved into the namespace with the server's
address, dnsmasq in that namespace fed the reservations of
dhcp_config.plan(), and the OpenFlow rules of dhcp_config.flows().

Every function makes the host match what is stored (idempotent), so the
same code serves a change (NETWORKS_CHANGED, once per command or batch),
a host that booted, and a dnsmasq or ovs-vswitchd that died (`acli-dhcp
sync` / `watch`). Callers hold acli's lock on the host.

Names come from the network's UUID (dhcp_config.names); commands run from
argument lists, never through a shell. dnsmasq reads its reservations and
options again on SIGHUP and keeps its leases; a change of the server's
own settings (its port was re-made) restarts it, still keeping the lease
file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

from acli.errors import BackendError
from acli.hosts.events import NetworksEvent
from acli.network import dhcp_config, networks, values

DEFAULT_RUN_DIR = "/run/acli/dhcp"
DHCP_KEY = "acli-dhcp"      # external_ids of the server's OVS port: the network's UUID
STOP_WAIT = 3.0             # seconds for dnsmasq to leave on SIGTERM


def run_dir() -> str:
    return os.environ.get("ACLI_RUN_DIR", DEFAULT_RUN_DIR)


def server_dir(uuid: str) -> str:
    dhcp_config.names(uuid)  # refuses anything but a UUID: it becomes a path
    return os.path.join(run_dir(), uuid.lower())


def _run(*cmd: str, ok_codes=(0,)) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise BackendError(f"{cmd[0]} failed: {err}") from None
    if done.returncode not in ok_codes:
        why = (done.stderr.strip() or done.stdout.strip() or f"exit {done.returncode}")
        raise BackendError(f"{' '.join(cmd[:4])} failed: {why.splitlines()[0]}")
    return done


# the hook --------------------------------------------------------------------

def networks_changed(event: NetworksEvent) -> None:
    """NETWORKS_CHANGED: the servers of the networks the command or batch
    stored or deleted follow (made, reloaded, re-made or stopped)."""
    failed = []
    for uuid in event.uuids:
        try:
            sync_network(event.host, uuid)
        except BackendError as err:
            failed.append(f"{uuid}: {err.message}")
    if failed:
        raise BackendError("the change is stored, but a DHCP server could not follow it ("
                           + "; ".join(failed) + "); `acli-dhcp sync` tries again")


def sync_network(host, uuid: str) -> str:
    """Make the DHCP server of network `uuid` match its definition: running
    for a managed network, gone for an unmanaged or deleted one. Returns
    what it did, in a word."""
    found = networks.find(host, uuid)
    if found is not None and found[0].managed:
        return ensure(host, found[0])
    return "stopped" if stop(host, uuid) else "none"


def sync_all(host) -> dict[str, str]:
    """Every managed network's server running and current, and the remains
    of any other (deleted networks, networks no longer managed) removed:
    {network UUID: what was done, or "failed: REASON"}."""
    done = {}
    for net, _ in networks.all_networks(host):
        if net.managed:
            done[net.uuid] = _or_failure(ensure, host, net)
    for uuid in _leftovers(host) - set(done):
        what = _or_failure(stop, host, uuid)
        if what is not False:
            done[uuid] = "stopped" if what is True else what
    return done


def _or_failure(fn, *args):
    """fn(*args), or "failed: REASON": one network's trouble stops no other's."""
    try:
        return fn(*args)
    except BackendError as err:
        return f"failed: {err.message}"


# making it -------------------------------------------------------------------

def ensure(host, net) -> str:
    """Start, reload or leave alone the server of managed network `net`."""
    p = dhcp_config.plan(net)
    d = server_dir(p.uuid)
    os.makedirs(d, mode=0o755, exist_ok=True)
    os.chmod(d, 0o755)  # dnsmasq reads its files again as an unprivileged user
    conf_changed = _write(os.path.join(d, "dnsmasq.conf"), dhcp_config.dnsmasq_conf(p, d))
    data_changed = _write(os.path.join(d, "hosts"), dhcp_config.hosts_file(p))
    data_changed |= _write(os.path.join(d, "opts"), dhcp_config.opts_file(p))
    _namespace(p.namespace)
    uplinks, ports = _port(host, p)
    remade = _device(p)
    pid = running_pid(p.uuid)
    what = "current"
    if pid is not None and (conf_changed or remade):
        _kill(pid)
        pid = None
    if pid is None:
        _start(p, d)
        what = "started"
    elif data_changed:
        os.kill(pid, signal.SIGHUP)
        what = "reloaded"
    _flows(p, uplinks, ports)
    return what


def _start(p, d: str) -> None:
    """dnsmasq in the namespace; it forks once its set-up worked, and says
    why on stderr (a file: the daemon keeps no pipe of ours open) if not."""
    import tempfile

    with tempfile.TemporaryFile(mode="w+") as err:
        done = subprocess.run(["ip", "netns", "exec", p.namespace, "dnsmasq",
                               f"--conf-file={d}/dnsmasq.conf"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                              timeout=30)
        if done.returncode != 0:
            err.seek(0)
            why = err.read().strip() or f"exit {done.returncode}"
            raise BackendError(f"dnsmasq for {p.network} did not start: {why.splitlines()[0]}")


def _write(path: str, text: str) -> bool:
    """Write `text` (atomically) unless the file holds it; whether it changed."""
    try:
        with open(path) as f:
            if f.read() == text:
                return False
    except FileNotFoundError:
        pass
    tmp = path + ".new"
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return True


def _namespace(name: str) -> None:
    if not os.path.exists(os.path.join("/run/netns", name)):
        _run("ip", "netns", "add", name)


def _port(host, p) -> tuple[list[str], list]:
    """The server's OVS internal port on the network's bridge with its VLAN,
    `protected` as the bridge's uplink is: OVS forwards nothing between two
    protected ports, so nothing the server sends reaches the uplink. Returns
    the uplink's interfaces (OpenFlow sees a bond's members, not the bond)
    and the bridge's other ports (dhcp_config.SwitchPort), for the rules."""
    def stage(txn, db):
        bridge = db.bridge(p.bridge)
        if bridge is None:
            raise BackendError(f"bridge {p.bridge} of network {p.network} is not in OVSDB")
        tag = [p.vlan] if p.vlan else []
        for other in db.rows("Bridge"):
            if other is not bridge and any(port.name == p.port for port in other.ports):
                other.verify("ports")
                other.ports = [port for port in other.ports if port.name != p.port]
        port = next((x for x in bridge.ports if x.name == p.port), None)
        if port is None:
            iface = txn.insert(db.idl.tables["Interface"])
            iface.name, iface.type = p.port, "internal"
            port = txn.insert(db.idl.tables["Port"])
            port.name, port.interfaces = p.port, [iface]
            port.external_ids = {DHCP_KEY: p.uuid}
            port.tag, port.protected = tag, True  # (a new row's columns cannot be read)
            bridge.verify("ports")
            bridge.ports = list(bridge.ports) + [port]
        else:
            if list(port.tag) != tag:  # net.update vlan=: the server follows
                port.tag = tag
            if not port.protected:
                port.protected = True
        uplink = _uplink_port(bridge)
        if uplink is not None and not uplink.protected:
            uplink.protected = True
        members = sorted(i.name for i in uplink.interfaces) if uplink is not None else []
        return members, _switch_ports(bridge, uplink)

    db = host.ovsdb()
    db.refresh()
    return db.transact(stage, expect_change=False, wait_vswitchd=True)


def _switch_ports(bridge, uplink) -> list:
    """The bridge's ports but its uplink and the DHCP servers', each
    interface with an OpenFlow number (one ovs-vswitchd has not made yet
    has none, and gets its rules at the next sync)."""
    found = []
    for port in bridge.ports:
        if port is uplink or DHCP_KEY in port.external_ids:
            continue
        tag = port.tag[0] if port.tag else None
        mode = port.vlan_mode[0] if port.vlan_mode else ""
        for iface in port.interfaces:
            ofport = iface.ofport[0] if iface.ofport else -1
            if ofport > 0:
                found.append(dhcp_config.switch_port(ofport, tag, list(port.trunks), mode))
    return found


def _uplink_port(bridge):
    from acli.network.vswitch import UPLINK_KEY

    name = bridge.external_ids.get(UPLINK_KEY, values.bond_of(bridge.name))
    return next((port for port in bridge.ports if port.name == name), None)


def _in_namespace(p) -> bool:
    return _run("ip", "-n", p.namespace, "link", "show", p.port, ok_codes=(0, 1)).returncode == 0


def _device(p) -> bool:
    """The port's device in the namespace with the server's address, up.
    ovs-vswitchd makes it in the host's namespace (again after a restart of
    its own, the old one going with it). Whether it was (re)made."""
    if _in_namespace(p):
        have = _run("ip", "-n", p.namespace, "-o", "-4", "addr", "show", "dev", p.port).stdout
        if f" {p.address} " in have:
            return False
        _run("ip", "-n", p.namespace, "addr", "flush", "dev", p.port)
    else:
        deadline = time.monotonic() + 5
        while not os.path.exists(f"/sys/class/net/{p.port}"):
            if time.monotonic() > deadline:
                raise BackendError(f"ovs-vswitchd made no device {p.port} for {p.network}'s "
                                   "DHCP server")
            time.sleep(0.05)
        _run("ip", "link", "set", p.port, "netns", p.namespace)
    _run("ip", "-n", p.namespace, "link", "set", "dev", p.port, "address",
         dhcp_config.server_mac(p.uuid))
    _run("ip", "-n", p.namespace, "link", "set", "lo", "up")
    _run("ip", "-n", p.namespace, "addr", "add", p.address, "dev", p.port)
    _run("ip", "-n", p.namespace, "link", "set", p.port, "up")
    return True


def _flows(p, uplinks: list[str], ports: list) -> None:
    """This network's rules replace its old ones in one OpenFlow bundle."""
    lines = [f"delete cookie={p.cookie:#x}/-1"]
    lines += ["add " + flow for flow in dhcp_config.flows(p, uplinks, ports)]
    done = subprocess.run(["ovs-ofctl", "--bundle", "add-flows", p.bridge, "-"],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          timeout=30)
    if done.returncode != 0:
        raise BackendError(f"ovs-ofctl add-flows {p.bridge} failed: "
                           f"{(done.stderr.strip() or 'exit %d' % done.returncode).splitlines()[0]}")


# watching it -----------------------------------------------------------------

def running_pid(uuid: str) -> int | None:
    """The pid of this network's dnsmasq, if it runs (checked in /proc: a pid
    file outlives its process, and pids are reused)."""
    d = server_dir(uuid)
    try:
        with open(os.path.join(d, "pid")) as f:
            pid = int(f.read().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read()
    except (OSError, ValueError):
        return None
    if b"dnsmasq" in cmdline and f"{d}/dnsmasq.conf".encode() in cmdline:
        return pid
    return None


def state(host, net) -> dict:
    """net.get's view of the server's state on this host."""
    port = dhcp_config.names(net.uuid)[1]
    pid = running_pid(net.uuid)
    if pid is not None:
        return {"state": "running", "pid": pid, "port": port}
    return {"state": "not running (`acli-dhcp sync`, or the network's next change, starts it)",
            "port": port}


# stopping it -----------------------------------------------------------------

def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_WAIT
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{pid}"):
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def stop(host, uuid: str) -> bool:
    """Remove everything of network `uuid`'s server: process, rules, port,
    namespace, files. Whether there was anything."""
    namespace, port, cookie = dhcp_config.names(uuid)
    d = server_dir(uuid)
    found = False
    pid = running_pid(uuid)
    if pid is not None:
        _kill(pid)
        found = True
    bridges = _drop_port(host, uuid, port)
    found |= bool(bridges)
    for bridge in bridges:
        _run("ovs-ofctl", "del-flows", bridge, f"cookie={cookie:#x}/-1")
    if os.path.exists(os.path.join("/run/netns", namespace)):
        _run("ip", "netns", "del", namespace)
        found = True
    if os.path.isdir(d):
        for name in os.listdir(d):
            os.unlink(os.path.join(d, name))
        os.rmdir(d)
        found = True
    return found


def _drop_port(host, uuid: str, port_name: str) -> list[str]:
    """The server's port gone from every bridge; an uplink no other server
    needs protected no more. The bridges it was on."""
    def stage(txn, db):
        was_on = []
        for bridge in db.rows("Bridge"):
            mine = [port for port in bridge.ports
                    if port.name == port_name or port.external_ids.get(DHCP_KEY) == uuid]
            if not mine:
                continue
            was_on.append(bridge.name)
            bridge.verify("ports")
            bridge.ports = [port for port in bridge.ports if port not in mine]
            if not any(DHCP_KEY in port.external_ids for port in bridge.ports):
                uplink = _uplink_port(bridge)
                if uplink is not None and uplink.protected:
                    uplink.protected = False
        return was_on

    db = host.ovsdb()
    db.refresh()
    if not any(port.name == port_name or port.external_ids.get(DHCP_KEY) == uuid
               for port in db.rows("Port")):
        return []  # most often: an unmanaged network changed, nothing to wait for
    return db.transact(stage, expect_change=False, wait_vswitchd=True)


def _leftovers(host) -> set[str]:
    """UUIDs of networks with any remains of a server on this host."""
    from acli.names import is_uuid

    found = set()
    prefix = dhcp_config.names("00000000-0000-0000-0000-000000000000")[0][:-36]
    try:
        found |= {n[len(prefix):] for n in os.listdir("/run/netns") if n.startswith(prefix)}
    except FileNotFoundError:
        pass
    try:
        found |= set(os.listdir(run_dir()))
    except FileNotFoundError:
        pass
    db = host.ovsdb()
    db.refresh()
    found |= {port.external_ids[DHCP_KEY] for port in db.rows("Port") if DHCP_KEY in port.external_ids}
    return {uuid for uuid in found if is_uuid(uuid)}
