"""What several command modules share: the parameter types that name VMs,
the finding of VMs, and sizes."""

from __future__ import annotations

from acli.commands.types import EntityRef, Selector

MIB = 1 << 20
VM = EntityRef("vm")
VMS = Selector("vm")


def vm_of(ctx, ref: str):
    """The one VM `ref` names (name or UUID), or NotFound."""
    from acli.vms import service

    return service.lookup(ctx.host, ref)


def vms_of(ctx, patterns) -> list:
    """The VMs a VMS parameter names, in order, each once."""
    from acli.vms import service

    return service.select(ctx.host, patterns)
