"""Nothing lost, nothing half-made, on the sandbox: refused changes change
nothing, several acli processes at once hand nothing out twice, and Ctrl-C
or SIGTERM leave a command undone or say exactly what they left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from concurrency import check_host, network_state, nics_of, run_admins


def _conn(sandbox_dir):
    import libvirt

    libvirt.registerErrorHandler(lambda *a: None, None)
    return libvirt.open(f"test://{sandbox_dir}/host.xml")


def test_a_refused_net_update_changes_nothing(shell):
    shell.ok("net.create mgmt vlan=30 ip_config=198.51.100.1/24")
    shell.ok("net.add_dhcp_pool mgmt start=198.51.100.10 end=198.51.100.20")
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.nic_create a network=mgmt")
    before = shell.ok("net.get mgmt"), shell.ok("net.list_vms mgmt"), shell.ok("vm.nic_get a")
    for change in ('annotation="a\x01b"', 'name=mgmt2 annotation="a\x1fb"'):
        status, out, err = shell(f"net.update mgmt {change}")
        assert status != 0 and out == "" and err.count("\n") == 1, (status, out, err)
        assert "control character" in err
        assert (shell.ok("net.get mgmt"), shell.ok("net.list_vms mgmt"),
                shell.ok("vm.nic_get a")) == before


def test_a_network_whose_new_definition_fails_is_put_back(shell):
    """A rename replaces the libvirt network (the UUID stays): when the new
    definition cannot be made after the old one was removed, the old one
    comes back whole, leases and all."""
    from dataclasses import replace

    from acli.errors import UsageError
    from acli.network import networks

    shell.ok("net.create mgmt vlan=30 ip_config=198.51.100.1/24")
    shell.ok("net.add_dhcp_pool mgmt start=198.51.100.10 end=198.51.100.20")
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.nic_create a network=mgmt")
    before = shell.ok("net.get mgmt"), shell.ok("net.list_vms mgmt")
    net, _ = networks.lookup(shell.host, "mgmt")
    with pytest.raises(UsageError):  # VLAN 5000 cannot be written: found after the removal
        networks.redefine(shell.host, net, replace(net, name="mgmt2", vlan=5000))
    assert (shell.ok("net.get mgmt"), shell.ok("net.list_vms mgmt")) == before
    assert "mgmt2" not in shell.ok("net.list")


@pytest.mark.parametrize("workers", [8])
def test_eight_acli_processes_at_once_on_one_sandbox(acli, sandbox_dir, workers):
    acli("net.create shared vlan=10 ip_config=198.51.100.1/24", input="")
    acli("net.add_dhcp_pool shared start=198.51.100.10 end=198.51.100.200", input="")
    cmd = [sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}"]
    results = run_admins(cmd, "c", "shared", workers)
    figures = check_host(_conn(sandbox_dir), "c", "shared", results, workers)
    assert figures["commands"] == 9 * workers
    # the raced lines fail for all but one worker each; nothing else fails
    assert figures["failures"] == 2 * (workers - 1)
    assert acli("vm.list").returncode == 0  # the sandbox still opens


def _interrupt_after(cmd, seconds, sig):
    """Run `cmd`, send it `sig` after `seconds`; (status, stdout, stderr)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)
    time.sleep(seconds)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


@pytest.mark.parametrize("sig, said", [(signal.SIGINT, "interrupted"),
                                        (signal.SIGTERM, "terminated by SIGTERM")])
def test_an_interrupted_create_of_many_vms_leaves_none_of_them(acli, sandbox_dir, sig, said):
    """A batch of vm.create lines of 1,000 VMs each, interrupted: the lines
    before it stay whole, the line it hit leaves none of its VMs (or, landing
    on the final write, none of the batch's), and the message says which."""
    acli("vm.create keep memory=64M")
    script = "".join(f"vm.create g{g}x[1..1000] memory=64M\n" for g in range(12))
    proc = subprocess.Popen([sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    proc.stdin.write(script)
    proc.stdin.close()
    time.sleep(1.2)
    proc.send_signal(sig)
    err = proc.stderr.read()
    proc.wait(timeout=300)
    assert proc.returncode == 130, err
    names = [line.split()[0] for line in acli("vm.list").stdout.splitlines()[1:]]
    groups = {}
    for name in names:
        if name != "keep":
            groups.setdefault(name.split("x")[0], []).append(name)
    assert "keep" in names and all(len(vms) == 1000 for vms in groups.values()), \
        {g: len(v) for g, v in groups.items()}
    assert err.endswith((f"{said}; no VM was created\n",  # inside a line: it is undone
                         f"{said} before this line; the lines before it were done\n",
                         f"{said} before the sandbox was written; nothing this batch changed "
                         "was kept\n")), err
    assert err.count("\n") == 1


def test_an_interrupted_net_update_leaves_every_nic_on_one_vlan(acli, sandbox_dir):
    """Wherever the interrupt lands, the network's NICs all carry its VLAN,
    or the network says a re-tag is pending and `net.update NAME` finishes it."""
    script = "net.create n1 vlan=10\nvm.create r[1..300] memory=64M\n" + \
        "".join(f"vm.nic_create r{i} network=n1\n" for i in range(1, 301))
    assert acli(input=script).returncode == 0
    for delay in (0.3, 0.6, 0.9):
        vlan_before = network_state(_conn(sandbox_dir), "n1")[0]
        cmd = [sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}",
               f"net.update n1 vlan={vlan_before + 1}"]
        status, _out, err = _interrupt_after(cmd, delay, signal.SIGINT)
        assert status in (0, 130), err
        conn = _conn(sandbox_dir)
        vlan, _, pending = network_state(conn, "n1")
        if pending:
            assert acli("net.update n1").returncode == 0
            conn = _conn(sandbox_dir)
            vlan, _, pending = network_state(conn, "n1")
            assert not pending

        tags = {tuple(t) for nics in nics_of(conn, "r").values() for _, _, t in nics}
        assert tags == {(vlan,)}, (delay, status, err, tags)
    assert os.path.exists(os.path.join(sandbox_dir, "host.xml"))


def test_volumes_no_vm_uses_are_listed_and_removable(shell):
    """What a command cut off between making a volume and giving it to a VM
    leaves (made here directly with libvirt) is listed and can be removed;
    volumes that VMs or their snapshots use are neither."""
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.disk_create a create_size=1G")
    shell.ok("vm.snapshot_create a snapshot_name_list=s1")
    shell.ok("vm.disk_create a create_size=2G")
    pool = shell.host.conn.storagePoolLookupByName("default-container")
    pool.createXML("<volume><name>acli-vmdisk-00000000-0000-4000-8000-000000000001.qcow2</name>"
                   "<capacity>1048576</capacity><target><format type='qcow2'/></target>"
                   "</volume>", 0)
    listed = shell.ok("container.list_orphans")
    assert "acli-vmdisk-00000000-0000-4000-8000-000000000001.qcow2" in listed
    assert len(listed.splitlines()) == 2  # the header and the one orphan
    status, _, err = shell("container.delete_orphans")
    assert status != 0 and "confirmation needed" in err  # nothing without -y
    shell.ok("-y container.delete_orphans")
    assert shell.ok("container.list_orphans").splitlines()[1:] == []
    assert len(shell.ok("vm.disk_list a").splitlines()) == 3  # the VM's two disks stay
    shell.ok("vm.restore a snapshot_name=s1")  # the snapshot's disk was kept too


def test_a_killed_batch_leaves_no_ports_the_node_file_does_not_have(acli, sandbox_dir):
    """A batch that powered VMs on and was killed before writing the sandbox:
    its VMs are not in the node file, and the next acli removes the ports
    they had in the private OVSDB (and gives the VMs the file has theirs)."""
    assert acli("net.create n1 vlan=10").returncode == 0
    assert acli(input="vm.create kept memory=64M\nvm.nic_create kept network=n1\n"
                      "vm.on kept\n").returncode == 0
    lines = "".join(f"vm.create k{i} memory=64M\nvm.nic_create k{i} network=n1\nvm.on k{i}\n"
                    "net.get n1\n" for i in range(400))  # net.get reads OVSDB: ports settle early
    proc = subprocess.Popen([sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)
    proc.stdin.write(lines)
    proc.stdin.flush()
    db = f"unix:{sandbox_dir}/db.sock"

    def vm_ports():
        done = subprocess.run(["ovs-vsctl", f"--db={db}", "--no-wait", "--columns=external_ids",
                               "find", "Interface", "external_ids:vm-id!=[]"],
                              capture_output=True, text=True)
        return done.stdout.count("vm-id")

    deadline = time.monotonic() + 60
    while vm_ports() < 5:  # the batch has started VMs and made their ports
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    listed = acli("vm.list").stdout
    assert [line.split()[0] for line in listed.splitlines()[1:]] == ["kept"]
    holder = subprocess.Popen([sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    holder.stdin.write("net.get n1\n")
    holder.stdin.flush()
    holder.stdout.readline()  # the OVSDB is up while this acli holds it
    try:
        assert vm_ports() == 1  # kept's port only
    finally:
        holder.communicate("")
    assert not os.path.exists(f"{sandbox_dir}/unsaved")


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_the_shell_leaves_on_hangup_and_sigterm(sandbox_dir, sig):
    """On a terminal (a pty here), SIGHUP (the terminal went away) or SIGTERM
    ends the shell with status 130, after it let the sandbox go."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.executable, [sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}"])
    seen = b""
    deadline = time.monotonic() + 30
    while b"<acropolis>" not in seen:
        assert time.monotonic() < deadline, seen
        seen += os.read(fd, 4096)
    os.kill(pid, sig)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 130
