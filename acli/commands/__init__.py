"""The command table (table.py's REGISTRY), filled by importing the module
of each command prefix.

Where a command lives follows from its name (module_for): `vm.nic_create`
is in vm_nic.py, `net.get_virtual_switch` in net_virtual_switch.py,
`vm.create` in vm.py. A test holds every handler to that rule.

The modules load on demand: a line loads the module its command lives in,
so a batch of vm.* lines never loads the storage or networking commands
(start-up time is a feature). Help, completion and the suggestion for a
mistyped command see the whole table: load_all().
"""

import importlib

# Networking and storage plug into the VM and sandbox code whichever command
# modules load: deleting a VM must free its ports and volumes.
import acli.wiring  # noqa: F401
from acli.commands.table import REGISTRY, Command

# The objects inside a namespace that have commands of their own, named as
# a prefix (vm.nic_create) or a suffix (net.create_virtual_switch).
SUB_OBJECTS = {"vm": ("nic", "disk", "snapshot", "serial_port", "container"),
               "net": ("virtual_switch", "host_nic")}
# Every command module; a name the rule makes that is not here is not a command.
MODULES = ("container", "ha", "help", "host", "image", "net", "net_host_nic", "net_virtual_switch",
           "snapshot", "task", "vg", "vm", "vm_container", "vm_disk", "vm_group", "vm_nic",
           "vm_serial_port", "vm_snapshot")
_loaded: set = set()


def module_for(name: str) -> str:
    """The module (of acli.commands) where command `name` lives."""
    namespace, _, verb = name.partition(".")
    for sub in SUB_OBJECTS.get(namespace, ()):
        if verb.startswith(sub + "_") or verb.endswith("_" + sub):
            return f"{namespace}_{sub}"
    return namespace


def _load(module: str) -> None:
    if module not in _loaded:
        importlib.import_module(f"acli.commands.{module}")
        _loaded.add(module)


def load_all() -> dict[str, Command]:
    """The whole command table."""
    for module in MODULES:
        _load(module)
    return REGISTRY


def lookup(name: str) -> Command | None:
    """The command named `name`, loading its module first if need be; None
    for a name no module has (the whole table is loaded then, for the
    suggestions)."""
    found = REGISTRY.get(name)
    if found is None:
        module = module_for(name)
        if module in MODULES:
            _load(module)
            found = REGISTRY.get(name)
        if found is None:
            load_all()
    return found
