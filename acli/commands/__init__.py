"""The command table, filled by importing each namespace's module."""

from acli.commands import builtin, host, net, storage, vm  # noqa: F401  (registration side effects)
from acli.commands.table import REGISTRY  # noqa: F401
