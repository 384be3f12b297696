"""A sandbox cluster (acli --sandbox DIR --hosts N) and the cluster file:
membership and its refusals, hosts that do not answer, and several acli
processes at once on a cluster: no name, MAC or address handed out twice,
the network alike on every host. (What each command prints is in
transcripts/cluster/.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import libvirt
import pytest
from concurrency import RACED_IP, RACED_MAC, network_state, nics_of, run_admins


def acli(*words, env=None, input=None):
    return subprocess.run([sys.executable, "-m", "acli", *words], capture_output=True,
                          text=True, timeout=300, env=env, input=input,
                          stdin=None if input is not None else subprocess.DEVNULL)


@pytest.fixture
def cluster_dir(tmp_path):
    folder = tmp_path / "cluster"
    done = acli(f"--sandbox={folder}", "--hosts", "3", "host.list")
    assert done.returncode == 0, done.stderr
    return str(folder)


def test_the_host_count_is_kept_and_never_shrinks(cluster_dir, tmp_path):
    assert len(acli(f"--sandbox={cluster_dir}", "host.list").stdout.splitlines()) == 4
    done = acli(f"--sandbox={cluster_dir}", "--hosts", "2", "host.list")
    assert done.returncode == 2 and "has 3 hosts; a sandbox cluster does not shrink" in done.stderr
    single = tmp_path / "single"
    assert acli(f"--sandbox={single}", "vm.list").returncode == 0
    done = acli(f"--sandbox={single}", "--hosts", "3", "vm.list")
    assert done.returncode == 2 and "holds a one-host sandbox" in done.stderr
    assert not (single / "cluster.json").exists()
    done = acli("--hosts", "3", "vm.list")
    assert done.returncode == 2 and "--hosts makes a sandbox cluster" in done.stderr
    # a grown cluster: the new host gets the cluster's networks
    assert acli(f"--sandbox={cluster_dir}", "net.create", "vlan.5", "vlan=5").returncode == 0
    assert acli(f"--sandbox={cluster_dir}", "--hosts", "4", "host.list").returncode == 0
    listing = acli(f"--sandbox={cluster_dir}", "host.list").stdout
    assert "host4" in listing
    nets = acli(f"--sandbox={os.path.join(cluster_dir, 'host4')}", "net.list").stdout
    first = acli(f"--sandbox={os.path.join(cluster_dir, 'host1')}", "net.list").stdout
    assert "vlan.5" in nets and nets == first


@pytest.mark.parametrize("text, message", [
    ("", "no [[host]] entries"),
    ("[[host]]\nname = 'a'\n", "host 1 has no uri"),
    ("[[host]]\nuri = 'test:///default'\n", "host 1 has no name"),
    ("[[host]]\nname='a'\nuri='test:///default'\n[[host]]\nname='a'\nuri='test:///default'\n",
     "host 2: the name a is taken by an earlier host"),
    ("[[host]]\nname = 'a b'\nuri = 'test:///default'\n", "not a valid name"),
    ("[[host\n", "cluster file"),
])
def test_a_bad_cluster_file_is_one_line_and_changes_nothing(tmp_path, text, message):
    path = tmp_path / "cluster.toml"
    path.write_text(text)
    done = acli("--cluster", str(path), "vm.list")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_the_cluster_file_comes_from_acli_cluster_and_stays_out_of_the_way(tmp_path):
    path = tmp_path / "cluster.toml"
    path.write_text("[[host]]\nname = 'a'\nuri = 'test:///default'\n"
                    "[[host]]\nname = 'b'\nuri = 'test:///default'\n")
    env = {**os.environ, "ACLI_CLUSTER": str(path)}
    listing = acli("host.list", env=env)
    assert listing.returncode == 0, listing.stderr
    names = [line.split()[1] for line in listing.stdout.splitlines()[1:]]
    assert names == ["a", "b"]
    # --sandbox and --connect say which host: the cluster file is not read
    done = acli(f"--sandbox={tmp_path / 'sb'}", "host.list", env=env)
    assert done.returncode == 0 and " sandbox " in done.stdout
    done = acli("--cluster", str(path), f"--sandbox={tmp_path / 'sb'}", "vm.list")
    assert done.returncode == 2 and "--cluster and --sandbox" in done.stderr


def test_a_host_that_does_not_answer_blocks_nothing_else(cluster_dir):
    sandbox = f"--sandbox={cluster_dir}"
    assert acli(sandbox, "vm.create", "a", "memory=1G").returncode == 0
    assert acli(sandbox, "vm.on", "a", "host=host1").returncode == 0
    assert acli(sandbox, "vm.create", "b", "memory=1G").returncode == 0
    assert acli(sandbox, "vm.on", "b", "host=host3").returncode == 0
    down = os.path.join(cluster_dir, "host3", "down")
    open(down, "w").close()
    started = time.monotonic()
    listing = acli(sandbox, "vm.list")
    assert listing.returncode == 0
    assert "a " in listing.stdout and "b " not in listing.stdout
    assert "host host3 does not answer" in listing.stderr
    assert acli(sandbox, "vm.off", "a").returncode == 0  # a VM elsewhere: untouched by host3
    done = acli(sandbox, "vm.off", "b")
    assert done.returncode == 1 and "Unknown name: b" in done.stderr
    hosts = acli(sandbox, "host.list").stdout
    row = next(line.split() for line in hosts.splitlines() if "host3" in line)
    assert row[2:4] == ["NotAnswering", "False"] and row[-1] == "down", hosts
    assert time.monotonic() - started < 30
    os.unlink(down)
    assert "b " in acli(sandbox, "vm.list").stdout


def test_admins_at_once_on_a_cluster_hand_out_nothing_twice(cluster_dir):
    """Eight acli processes on a three-host cluster (their VMs land on
    different hosts): no VM name, MAC or address twice in the cluster, and
    the network's definition the same on every host."""
    sandbox = f"--sandbox={cluster_dir}"
    net = "cnet"
    done = acli(sandbox, "net.create", net, "vlan=20", "ip_config=198.51.100.1/24")
    assert done.returncode == 0, done.stderr
    done = acli(sandbox, "net.add_dhcp_pool", net, "start=198.51.100.10", "end=198.51.100.249")
    assert done.returncode == 0, done.stderr
    # spread the workers' VMs: each worker's VMs are created where most room is
    for h in ("host2", "host3"):
        done = acli(sandbox, "vm.create", f"ballast-{h}", "memory=1G")
        assert done.returncode == 0
    results = run_admins([sys.executable, "-m", "acli", "-y", sandbox], "c-", net, workers=8)
    for lines in results["by_worker"]:
        for line, code, err in lines:
            assert code == 0 or RACED_MAC in line or RACED_IP in line, (line, err)
    conns = [libvirt.open(f"test://{cluster_dir}/host{n}/host.xml") for n in (1, 2, 3)]
    try:
        states = [network_state(conn, net) for conn in conns]
        assert states[0] == states[1] == states[2], states
        vlan, leases, pending = states[0]
        nics = {}
        hosts_used = 0
        for conn in conns:
            found = nics_of(conn, "c-")
            hosts_used += bool(found)
            assert not set(found) & set(nics), "a VM name on two hosts"
            nics.update(found)
        macs = [mac for vm_nics in nics.values() for mac, _, _ in vm_nics]
        assert len(macs) == len(set(macs)), f"a MAC on two NICs: {sorted(macs)}"
        assert macs.count(RACED_MAC) == 1
        ips = [ip for ip, _ in leases]
        assert len(ips) == len(set(ips)) and ips.count(RACED_IP) == 1
        on_net = {mac for vm_nics in nics.values() for mac, network, _ in vm_nics
                  if network == net}
        assert {mac for _, mac in leases} == on_net, "leases and NICs disagree"
        assert not pending and vlan in range(20, 28)
        assert hosts_used >= 2, "every worker's VMs landed on one host: nothing was raced"
    finally:
        for conn in conns:
            conn.close()


def test_one_host_is_exactly_as_before(tmp_path):
    """No cluster file: a vm.get shows no host fields, as before clusters."""
    sandbox = f"--sandbox={tmp_path / 'one'}"
    assert acli(sandbox, "vm.create", "x", "memory=64M").returncode == 0
    record = acli(sandbox, "vm.get", "x").stdout
    assert "host_name" not in record and 'name: "x"' in record
    done = acli(sandbox, "vm.migrate", "x")
    assert done.returncode == 1 and "one host" in done.stderr


def test_names_stay_unique_across_hosts(cluster_dir):
    sandbox = f"--sandbox={cluster_dir}"
    assert acli(sandbox, "vm.create", "only", "memory=1G").returncode == 0
    assert acli(sandbox, "vm.on", "only", "host=host2").returncode == 0
    for line in ("vm.create only", "vm.clone only clone_from_vm=only"):
        done = acli(sandbox, line)
        assert done.returncode == 1 and "VM name already exists: only" in done.stderr
    count = 0
    for n in (1, 2, 3):
        conn = libvirt.open(f"test://{cluster_dir}/host{n}/host.xml")
        count += sum(dom.name() == "only" for dom in conn.listAllDomains())
        root = ET.fromstring(conn.getCapabilities())
        assert root.find("host") is not None
        conn.close()
    assert count == 1


def test_completion_offers_the_vms_of_every_host(cluster_dir):
    from acli.options import Options
    from acli.repl.names import NameCache
    from acli.session import host_opener

    sandbox = f"--sandbox={cluster_dir}"
    for name, host in (("on-one", "host1"), ("on-three", "host3")):
        assert acli(sandbox, "vm.create", name, "memory=64M").returncode == 0
        assert acli(sandbox, "vm.on", name, f"host={host}").returncode == 0
    names = NameCache(host_opener(Options(sandbox=cluster_dir)))
    try:
        names.changed()
        assert names.settle(30)
        assert names("vm").starting("on-") == ["on-one", "on-three"]
    finally:
        names.close()


def test_a_host_that_was_away_takes_what_it_missed(cluster_dir):
    """While host3 is down a network is made, one deleted, a VM group and the
    HA settings written; the next change after it answers brings it in line."""
    sandbox = f"--sandbox={cluster_dir}"
    host3 = f"--sandbox={os.path.join(cluster_dir, 'host3')}"
    for line in ("net.create old vlan=5", "net.create keep vlan=6"):
        assert acli(sandbox, *line.split()).returncode == 0
    down = os.path.join(cluster_dir, "host3", "down")
    open(down, "w").close()
    for line in ("net.create new vlan=7", "-y net.delete old", "vm_group.create grp",
                 "ha.update num_host_failures_to_tolerate=1"):
        done = acli(sandbox, *line.split())
        assert done.returncode == 0, (line, done.stderr)
    os.unlink(down)
    assert "old" in acli(host3, "net.list").stdout  # not yet: nothing changed since
    assert acli(sandbox, "vm.create", "trigger", "memory=64M").returncode == 0
    first = acli(f"--sandbox={os.path.join(cluster_dir, 'host1')}", "net.list").stdout
    assert acli(host3, "net.list").stdout == first
    assert "old" not in first and "new" in first and "keep" in first
    from acli.hosts.sandbox import SandboxHost

    remote = SandboxHost(os.path.join(cluster_dir, "host3")).ovsdb_remote()
    ids = subprocess.run(["ovs-vsctl", f"--db={remote}", "get", "Open_vSwitch", ".",
                          "external_ids"], capture_output=True, text=True).stdout
    assert "acli-vm-group." in ids and "num_host_failures_to_tolerate" in ids
