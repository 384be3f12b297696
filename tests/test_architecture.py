"""The shape of the house, checked: imports go one way between the layers
docs/architecture.md names, no module imports itself round a loop, commands
live in the module their name says, handlers take what their commands
declare, hooks take the event their point declares, and services ask the
host what it can do instead of what it is."""

from __future__ import annotations

import ast
import inspect
import os
import re

import pytest

import acli

ROOT = os.path.dirname(acli.__file__)

# Layer of a module: the first prefix that matches, most specific first.
LAYER_OF = (
    ("acli.wiring", "wiring"),
    ("acli.session", "session"),
    ("acli.cli", "app"), ("acli.__main__", "app"), ("acli.options", "app"),
    ("acli.batch", "app"), ("acli.dhcp_agent", "app"), ("acli.ha_agent", "app"), ("acli.repl", "app"), ("acli.transcript", "app"),
    ("acli.commands", "commands"),
    ("acli.vms", "vms"), ("acli.network", "network"), ("acli.storage", "storage"),
    ("acli.cluster", "cluster"),
    ("acli.hosts", "hosts"),
    ("acli.syntax", "language"),
    ("acli.output", "output"),
    ("acli", "foundation"),  # plain, errors, files, names, selection, hooks, echo, limits, interrupts
)
DOMAIN = {"vms", "network", "storage", "cluster"}
# What each layer may import besides itself. Domain code (vms, network,
# storage) never reaches the language, the output or the commands; nothing
# below the application reaches it.
MAY_IMPORT = {
    "foundation": set(),
    "language": {"foundation"},
    "output": {"foundation"},
    "hosts": {"foundation"},
    "vms": {"foundation", "hosts"},
    "network": {"foundation", "hosts", "vms"},
    "storage": {"foundation", "hosts", "vms"},
    "cluster": {"foundation", "hosts", "vms", "network", "storage"},
    "wiring": {"foundation", "hosts", "vms"},
    "commands": {"foundation", "language", "output", "hosts", "wiring"} | DOMAIN,
    "session": {"foundation", "language", "output", "hosts", "commands"},
    "app": {"foundation", "language", "output", "hosts", "wiring", "commands", "session"} | DOMAIN,
}


def layer(module: str) -> str:
    for prefix, name in LAYER_OF:
        if module == prefix or module.startswith(prefix + "."):
            return name
    raise AssertionError(f"{module} is in no layer: add it to LAYER_OF and docs/architecture.md")


def _modules() -> dict[str, str]:
    found = {}
    for folder, _, files in os.walk(ROOT):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(folder, f)
                rel = os.path.relpath(path, os.path.dirname(ROOT))[:-3].replace(os.sep, ".")
                found[rel[:-9] if rel.endswith(".__init__") else rel] = path
    return found


MODULES = _modules()


def imports_of(module: str) -> set[str]:
    """acli modules `module` imports, at module level or inside functions."""
    path = MODULES[module]
    is_package = path.endswith("__init__.py")
    out = set()
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                parts = parts[:len(parts) - node.level + (1 if is_package else 0)]
                base = ".".join(parts + ([base] if base else []))
            out.add(base)
            out |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in out if m in MODULES and m != module}


GRAPH = {m: imports_of(m) for m in MODULES}


def test_imports_follow_the_layers():
    wrong = sorted(f"{m} ({layer(m)}) imports {t} ({layer(t)})"
                   for m, targets in GRAPH.items() for t in targets
                   if layer(t) != layer(m) and layer(t) not in MAY_IMPORT[layer(m)])
    assert wrong == []


def test_no_import_loops():
    # Tarjan's strongly connected components: any of more than one module is a loop.
    index, low, stack, on_stack, loops = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                loops.append(sorted(comp))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert loops == []


def test_the_layer_check_catches_a_wrong_import():
    """The checks above could pass by finding no imports at all."""
    assert "acli.hosts.base" in GRAPH["acli.hosts.libvirt_host"]
    assert layer("acli.network.nics") == "network"
    assert "output" not in MAY_IMPORT["network"] and "commands" not in MAY_IMPORT["vms"]


def test_services_ask_the_host_what_it_can_do_not_what_it_is():
    pattern = re.compile(r"is_test_driver|isinstance\([^)]*SandboxHost|host\.kind\b")
    offenders = [m for m, path in MODULES.items()
                 if layer(m) != "hosts" and pattern.search(open(path).read())]
    assert offenders == []


def test_every_command_lives_in_the_module_its_name_says():
    from acli.commands import MODULES as COMMAND_MODULES
    from acli.commands import load_all, module_for

    table = load_all()
    misplaced = sorted(f"{name} in {cmd.handler.__module__}" for name, cmd in table.items()
                       if cmd.handler.__module__ != f"acli.commands.{module_for(name)}")
    assert misplaced == []
    homes = {module_for(name) for name in table}
    assert homes == set(COMMAND_MODULES)  # no module without commands, none unlisted
    infrastructure = {"__init__", "table", "types", "bind", "common", "routing"}
    files = {f[:-3] for f in os.listdir(os.path.join(ROOT, "commands")) if f.endswith(".py")}
    assert files - infrastructure == set(COMMAND_MODULES)


@pytest.mark.parametrize("name, module", [
    ("vm.create", "vm"), ("vm.nic_create", "vm_nic"), ("vm.disk_list", "vm_disk"),
    ("vm.snapshot_create", "vm_snapshot"), ("vm.restore", "vm"),
    ("vm.serial_port_create", "vm_serial_port"),
    ("net.create_virtual_switch", "net_virtual_switch"),
    ("net.migrate_br_to_virtual_switch", "net_virtual_switch"),
    ("net.list_host_nic", "net_host_nic"), ("net.add_dhcp_pool", "net"),
    ("image.create", "image"), ("help", "help"),
])
def test_module_for(name, module):
    from acli.commands import module_for

    assert module_for(name) == module


def test_a_handler_that_does_not_match_its_declared_parameters_is_refused():
    from acli.commands.table import REGISTRY, command, keyword
    from acli.commands.types import Str

    def wrong(ctx, name, extra):
        return None

    with pytest.raises(TypeError, match=r"takes \(name, extra\) but the command declares \(name\)"):
        command("test.wrong", "x", keyword("name", Str(), "x"))(wrong)
    assert "test.wrong" not in REGISTRY

    def spread(ctx, **kwargs):
        return None

    with pytest.raises(TypeError):
        command("test.spread", "x", keyword("name", Str(), "x"))(spread)


def test_every_hook_takes_the_event_its_point_declares():
    import acli.wiring  # noqa: F401  the registrations
    from acli.hooks import HookPoint
    from acli.hosts import events as host_events
    from acli.vms import events as vm_events

    points = [p for mod in (vm_events, host_events) for p in vars(mod).values()
              if isinstance(p, HookPoint)]
    assert len(points) == 12
    wrong = []
    for point in points:
        assert point.hooks, f"{point.name} has no hook registered"
        for hook in point.hooks:
            params = list(inspect.signature(hook.resolve()).parameters.values())
            annotation = params[0].annotation if len(params) == 1 else None
            if annotation not in (point.event.__name__, point.event):
                wrong.append(f"{hook.target} for {point.name}: {params}")
    assert wrong == []


def test_every_kind_of_host_implements_the_interface(tmp_path):
    from acli.hosts.base import Capabilities, Host
    from acli.hosts.libvirt_host import LibvirtHost
    from acli.hosts.sandbox import SandboxHost

    for host in (LibvirtHost("test:///default"), SandboxHost(str(tmp_path / "sb"))):
        assert isinstance(host, Host) and isinstance(host.caps, Capabilities)
        assert host.state_dir() and host.label()
    with pytest.raises(TypeError):
        Host("test:///default")  # abstract: a kind of host must say what it can do
