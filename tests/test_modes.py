"""acli as a process: one-shot, batch (pipe and -f), exit statuses, output forms."""

import json
import os
import subprocess
import sys
import threading


def test_one_shot_split_and_joined(acli):
    assert acli("vm.create", "w1", "memory=64M").stdout == "w1: complete\n"
    assert acli("vm.create w2 memory=64M").stdout == "w2: complete\n"
    done = acli("vm.list")
    assert done.returncode == 0 and done.stdout.splitlines()[0] == "VM name  VM UUID"
    assert [r.split()[0] for r in done.stdout.splitlines()[1:]] == ["w1", "w2"]


def test_one_shot_keeps_spaced_values(acli):
    acli("vm.create", "d1", "description=web server")
    assert 'description: "web server"' in acli("vm.get", "d1").stdout


def test_options_inside_the_quoted_line(acli):
    acli("vm.create x1 memory=64M")
    out = acli("-o json vm.list").stdout
    assert json.loads(out)["data"][0]["name"] == "x1"
    done = acli("-y vm.delete x1")
    assert done.returncode == 0 and done.stdout == "x1: complete\n"


def test_exit_statuses(acli):
    assert acli("vm.get", "missing").returncode == 1
    syntax = acli("vm.create", "memroy=1")
    assert syntax.returncode == 2
    assert syntax.stderr == "Error: Unknown keyword argument: memroy (did you mean memory?)\n"
    assert acli("--bogus").returncode == 2
    assert "Traceback" not in syntax.stderr


def test_piped_output_has_no_colour_and_full_uuids(acli):
    acli("vm.create c1 memory=64M")
    out = acli("vm.list", env={"NO_COLOR": "", "COLUMNS": "20"}).stdout
    assert "\x1b[" not in out
    assert len(out.splitlines()[1].split()[1]) == 36


def test_batch_from_stdin(acli):
    script = "# make two VMs\nvm.create b1 memory=64M\n\nvm.create b2 memory=64M\nvm.list\n"
    done = acli(input=script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("b1: complete\nb2: complete\nVM name  VM UUID\n")
    assert "<acropolis>" not in done.stdout and "\x1b" not in done.stdout


def test_batch_stops_at_first_failure_with_file_line(acli, tmp_path):
    script = tmp_path / "setup.acli"
    script.write_text("vm.create s1 memory=64M\nvm.create s2 memroy=64M\nvm.create s3 memory=64M\n")
    done = acli("-f", str(script))
    assert done.returncode == 1
    assert done.stderr == f"{script}:2:14: Unknown keyword argument: memroy (did you mean memory?)\n"
    names = [r.split()[0] for r in acli("vm.list").stdout.splitlines()[1:]]
    assert names == ["s1"]


def test_batch_keep_going(acli):
    done = acli("--keep-going", input="vm.get nope\nvm.create k1 memory=64M\n")
    assert done.returncode == 1
    assert done.stderr == "<stdin>:1:8: Unknown name: nope\n"
    assert done.stdout == "k1: complete\n"


def test_batch_refuses_destructive_without_yes(acli):
    acli("vm.create r1 memory=64M")
    done = acli(input="vm.delete r1\n")
    assert done.returncode == 1 and "add -y" in done.stderr
    assert "r1" in acli("vm.list").stdout
    assert acli("-y", input="vm.delete r1\n").returncode == 0
    assert "r1" not in acli("vm.list").stdout


def test_help(acli):
    done = acli("help", "vm.create")
    assert done.returncode == 0 and "usage: vm.create vm_list" in done.stdout
    assert "memory" in done.stdout
    assert "vm.list" in acli("help").stdout
    assert acli("help", "vm.creat").returncode == 2


def test_sandbox_from_environment(acli, sandbox_dir):
    acli("vm.create e1 memory=64M")
    done = acli("vm.list", sandbox=False, env={"ACLI_SANDBOX": sandbox_dir})
    assert "e1" in done.stdout


def test_two_processes_at_once_lose_nothing(acli, sandbox_dir):
    """Concurrent writers on one sandbox: every VM made by either survives."""
    acli("vm.list")  # create the sandbox first
    results = []

    def make(prefix):
        script = "".join(f"vm.create {prefix}{i} memory=64M\n" for i in range(15))
        results.append(acli(input=script))

    threads = [threading.Thread(target=make, args=(p,)) for p in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    # and one-shot writers interleaved with each other
    one_shots = [threading.Thread(target=lambda i=i: acli(f"vm.create o{i} memory=64M"))
                 for i in range(6)]
    for t in one_shots:
        t.start()
    for t in one_shots:
        t.join()
    names = [r.split()[0] for r in acli("vm.list").stdout.splitlines()[1:]]
    assert len(names) == 36


def test_no_daemon_left_behind(acli, sandbox_dir):
    """Networking commands start the sandbox's private ovsdb-server; the last
    acli process to leave stops it, in one-shot and batch mode alike."""
    assert acli("net.create", "vlan.5", "vlan=5").returncode == 0
    assert os.path.exists(os.path.join(sandbox_dir, "conf.db"))  # the server did run
    assert acli(input="net.list_virtual_switch\nvm.create n1 memory=64M\n").returncode == 0
    leftover = subprocess.run(["pgrep", "-f", sandbox_dir], capture_output=True, text=True)
    assert leftover.stdout == ""


def test_interrupt_exits_130(sandbox_dir):
    proc = subprocess.Popen([sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    proc.stdin.write("vm.list\n")
    proc.stdin.flush()
    import time

    time.sleep(1.0)
    proc.send_signal(2)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert "Traceback" not in err


def test_bytes_that_are_not_utf8_are_one_line_errors(acli, tmp_path):
    bad = tmp_path / "bad.acli"
    bad.write_bytes(b"vm.create ok1 memory=64M\nvm.create d\xff\n")
    done = acli("-f", str(bad))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == f"{bad}:2:12: not valid UTF-8 text\n"
    piped = subprocess.run([sys.executable, "-m", "acli", f"--sandbox={tmp_path / 's2'}"],
                           input=b"vm.get d\xff\n", capture_output=True)
    assert piped.returncode == 1 and piped.stderr == b"<stdin>:1:9: not valid UTF-8 text\n"


def test_a_byte_order_mark_is_not_part_of_line_one(acli, tmp_path):
    script = tmp_path / "win.acli"
    script.write_bytes("\ufeffvm.create bom1 memory=64M\r\n".encode())
    done = acli("-f", str(script))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "bom1: complete\n"


def test_one_shot_list_values_with_blanks_keep_their_items(acli):
    """From bash, snapshot_name_list=s1,"s 2" arrives as one word without its
    quotes; a list parameter still gets two names, a plain one one value."""
    acli("vm.create v1 memory=64M")
    assert acli("vm.snapshot_create", "v1", "snapshot_name_list=s1,s 2").returncode == 0
    names = [r.split("  ")[0] for r in acli("vm.snapshot_list", "v1").stdout.splitlines()[1:]]
    assert sorted(names) == ["s 2", "s1"]
    acli("vm.update", "v1", "description=a, b c")
    assert 'description: "a, b c"' in acli("vm.get", "v1").stdout


def test_sandbox_directory_deleted_under_an_open_shell(sandbox_dir):
    """One-line errors, and the private ovsdb-server still goes away."""
    import shutil

    from conftest import Shell

    from acli.hosts.sandbox import SandboxHost

    sh = Shell(lambda: SandboxHost(sandbox_dir))
    try:
        sh.ok("net.list_virtual_switch")  # starts the private ovsdb-server
        server = subprocess.run(["pgrep", "-f", f"{sandbox_dir}/conf.db"], capture_output=True,
                                text=True).stdout.split()
        assert len(server) == 1
        shutil.rmtree(sandbox_dir)
        status, _, err = sh("vm.list")
        assert status == 1 and err == f"Error: the sandbox directory {sandbox_dir} is gone\n"
    finally:
        sh.close()
    left = subprocess.run(["pgrep", "-f", f"{sandbox_dir}/conf.db"], capture_output=True, text=True)
    assert left.stdout == ""


def test_a_batch_loads_only_what_its_lines_need(sandbox_dir):
    """Start-up time is a feature: plain vm.* lines never load the grammar,
    the other namespaces' commands or the storage and networking code, and
    a line of another namespace, or help, still finds its command."""
    code = (
        "import io, sys\n"
        "from acli.session import make_session\n"
        "from acli.options import parse_options\n"
        "from acli.batch import run_batch\n"
        f"session = make_session(parse_options(['--sandbox={sandbox_dir}'], is_command=lambda w: False))\n"
        "status = run_batch(session, io.StringIO('vm.create a memory=64M\\nvm.on a\\nvm.off a\\n"
        "-y vm.delete a\\n'), '<test>')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('acli.'))\n"
        "status += run_batch(session, io.StringIO('image.list\\nhelp vm.nic_create\\n'), '<test>')\n"
        "session.close()\n"
        "print(status, ' '.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    status, loaded = done.stdout.split("\n")[-2].split(" ", 1)
    assert status == "0"
    loaded = loaded.split()
    assert "acli.commands.vm" in loaded
    for module in ("acli.commands.vm_disk", "acli.commands.image", "acli.commands.net",
                   "acli.commands.vm_nic",
                   "acli.syntax.backend", "acli.storage.ownership", "acli.network.nicservice"):
        assert module not in loaded


def test_one_shot_reads_the_answer_from_a_pipe(acli):
    """`echo yes | acli vm.delete x`: stdin is not a terminal and holds no
    commands, so it holds the answer; only yes goes ahead."""
    acli("vm.create", "p1,p2", "memory=64M")
    for answer in ("no\n", "y\n", "YES!\n", ""):
        done = acli("vm.delete", "p1", input=answer)
        assert done.returncode == 1 and "nothing was changed" in done.stderr, answer
        assert done.stdout.startswith("Delete 1 VMs? (yes/no)")
    assert "p1 " in acli("vm.list").stdout
    done = acli("vm.delete", "p1,p2", input="yes\nno\n")
    assert done.returncode == 0
    assert done.stdout == "Delete 2 VMs? (yes/no) yes\np1: complete\np2: complete\n"
    assert acli("vm.list").stdout == "VM name  VM UUID\n"
