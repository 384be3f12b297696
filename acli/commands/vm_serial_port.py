"""vm.serial_port_*: a VM's serial ports (the VM must be off)."""

from __future__ import annotations

from acli.commands.common import VM, vm_of
from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import Enum, Int
from acli.output.results import Task, Tasks

# the guest's COM1..COM4 (acli.vms.serial.MAX_INDEX)
INDEX = Int(0, 3)


@command("vm.serial_port_create", "Add a serial port to a VM (kServer: a console on the host).",
         positional("vm", VM, "the VM, by name or UUID"),
         keyword("type", Enum("kServer", "kNull"),
                 "kServer: a pty console (virsh console); kNull: nothing behind the port",
                 REQUIRED),
         keyword("index", INDEX, "the port: 0..3 are the guest's COM1..COM4", REQUIRED),
         mutates=True)
def vm_serial_port_create(ctx, vm, type, index):  # noqa: A002 - aCLI's keyword is `type`
    from acli.vms import serial

    dom = vm_of(ctx, vm)
    serial.create(ctx.host, dom, type, index)
    return Tasks([Task("SerialPortCreate", uuid=dom.UUIDString())])


@command("vm.serial_port_delete", "Remove a serial port from a VM.",
         positional("vm", VM, "the VM, by name or UUID"),
         keyword("index", INDEX, "the port's index", REQUIRED),
         mutates=True)
def vm_serial_port_delete(ctx, vm, index):
    from acli.vms import serial

    dom = vm_of(ctx, vm)
    serial.delete(ctx.host, dom, index)
    return Tasks([Task("SerialPortDelete", uuid=dom.UUIDString())])
