"""The command table, filled by importing each namespace's module."""

from acli.commands import builtin, host, net, nic, storage, vm, vswitch  # noqa: F401  (registration side effects)
from acli.commands.table import REGISTRY  # noqa: F401
