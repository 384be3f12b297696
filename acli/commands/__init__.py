"""The command table (table.py's REGISTRY), filled by importing the module
of each namespace.

The modules load on demand: a line loads the module its command lives in,
so a batch of vm.* lines never loads the storage or networking commands
(start-up time is a feature). Help, completion and the suggestion for a
mistyped command see the whole table: load_all().
"""

import importlib

# Networking and storage plug into the VM code (acli/hooks.py) whichever
# command modules load: deleting a VM must free its ports and volumes.
import acli.network.hooks  # noqa: F401
import acli.storage.hooks  # noqa: F401
from acli.commands.table import REGISTRY, Command

MODULES = ("builtin", "host", "net", "nic", "storage", "vm", "vswitch")
# The module holding most of a namespace's commands. Only a guess: a command
# not found there is looked for in all of them (vm.nic_create is in nic).
_HOME = {"vm": "vm", "net": "net", "host": "host", "image": "storage", "container": "storage",
         "snapshot": "storage", "help": "builtin"}
_loaded: set = set()


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
    """The command named `name`, loading its module first if need be."""
    found = REGISTRY.get(name)
    if found is None and len(_loaded) < len(MODULES):
        home = _HOME.get(name.partition(".")[0])
        if home is not None:
            _load(home)
            found = REGISTRY.get(name)
        if found is None:
            found = load_all().get(name)
    return found
