"""VM power actions with aCLI's meaning: vm.on, vm.off, vm.shutdown,
vm.reboot, vm.guest_reboot, vm.reset, vm.pause, vm.resume, vm.power_cycle,
vm.force_off.
Idempotent where aCLI's are; raise AcliError subclasses, never libvirt's."""

from __future__ import annotations

import libvirt

from acli.errors import InvalidState
from acli.hosts.libvirt_errors import translate
from acli.vms import logical_timestamp
from acli.vms.domxml import Definition
from acli.vms.events import AFTER_POWER, PowerEvent

PAUSED = 3  # virDomainState


def power(host, dom, action: str) -> None:
    """One power action on one VM, idempotent where aCLI's is. One that did
    something (not vm.on of a running VM) counts as a change of the VM."""
    try:
        if _POWER[action](dom) is not False:
            logical_timestamp.note(host, dom)
    except libvirt.libvirtError as err:
        raise translate(err) from None
    if AFTER_POWER.hooks:
        AFTER_POWER.run(PowerEvent(host, dom, Definition(dom), action))


# Each action returns False when it had nothing to do (the VM was in the
# state asked for already), else True or None.
#
# vm.on and vm.off, the commands scripts run most, ask libvirt to act first
# and read the state only when it refuses (a running VM cannot be started,
# a stopped one cannot be destroyed): one call a VM instead of two. Drivers
# refuse with different error codes (QEMU: operation invalid; the test
# driver: internal error), so the state, not the code, decides.

def _on(dom):
    """Start the VM; a paused one resumes, a running one stays as it is."""
    try:
        dom.create()
    except libvirt.libvirtError:
        if dom.state()[0] == PAUSED:
            dom.resume()
        elif not dom.isActive():
            raise  # refused for another reason than running already
        else:
            return False  # on already: nothing changed
    return True


def _off(dom):
    try:
        dom.destroy()
    except libvirt.libvirtError:
        if dom.isActive():
            raise  # off already is no error; anything else is
        return False
    return True


def _shutdown(dom):
    if not dom.isActive():
        return False
    dom.shutdown()
    return True


def _needs_on(dom, verb):
    if not dom.isActive():
        raise InvalidState(f"cannot {verb}: VM is off")


def _reboot(dom):
    _needs_on(dom, "reboot")
    dom.reboot(0)


def _guest_reboot(dom):
    """A reboot done by the guest agent inside the VM (aCLI's guest_reboot),
    where vm.reboot asks through ACPI."""
    _needs_on(dom, "reboot")
    try:
        dom.reboot(libvirt.VIR_DOMAIN_REBOOT_GUEST_AGENT)
    except libvirt.libvirtError as err:
        if err.get_error_code() in (libvirt.VIR_ERR_AGENT_UNRESPONSIVE,
                                    libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED,
                                    libvirt.VIR_ERR_OPERATION_UNSUPPORTED):
            raise InvalidState("cannot reboot through the guest agent: the VM has no "
                               "responding guest agent (vm.reboot asks through ACPI)") from None
        raise


def _reset(dom):
    _needs_on(dom, "reset")
    dom.reset(0)


def _pause(dom):
    _needs_on(dom, "pause")
    if dom.state()[0] == PAUSED:
        return False
    dom.suspend()
    return True


def _resume(dom):
    _needs_on(dom, "resume")
    if dom.state()[0] != PAUSED:
        return False
    dom.resume()
    return True


def _power_cycle(dom):
    if dom.isActive():
        dom.destroy()
    dom.create()


# vm.off is already a hard power off (libvirt destroy: SIGTERM, then SIGKILL),
# so vm.force_off, which aCLI scripts call when a VM does not stop, is the same.
_POWER = {"on": _on, "off": _off, "force_off": _off, "shutdown": _shutdown, "reboot": _reboot,
          "guest_reboot": _guest_reboot, "reset": _reset,
          "pause": _pause, "resume": _resume, "power_cycle": _power_cycle}
