"""libvirt's errors, translated into acli's typed errors in one place."""

from __future__ import annotations

import functools

from acli.errors import AcliError, BackendError, Conflict, InvalidState, NotFound

_silenced = False


def silence_libvirt():
    """libvirt prints every error to stderr unless a handler is registered."""
    global _silenced
    if not _silenced:
        import libvirt

        libvirt.registerErrorHandler(lambda *_: None, None)
        _silenced = True


# libvirt's words when the daemon went away under a call (restarted, killed)
_CUT_OFF = ("client socket is closed", "end of file while reading data",
            "cannot recv data", "broken pipe", "connection reset")


def translate(err) -> AcliError:
    import libvirt

    code = err.get_error_code()
    message = (err.get_error_message() or str(err)).splitlines()[0]
    if any(words in message.lower() for words in _CUT_OFF):
        return BackendError(f"libvirtd went away during the command ({message}); what it "
                            "had done stays done; acli reconnects for the next command")
    if code in (libvirt.VIR_ERR_NO_DOMAIN, libvirt.VIR_ERR_NO_NETWORK,
                libvirt.VIR_ERR_NO_STORAGE_POOL, libvirt.VIR_ERR_NO_STORAGE_VOL,
                libvirt.VIR_ERR_NO_DOMAIN_SNAPSHOT):
        return NotFound(message)
    if code == libvirt.VIR_ERR_OPERATION_INVALID:
        return InvalidState(message)
    if code in (libvirt.VIR_ERR_DOM_EXIST, getattr(libvirt, "VIR_ERR_NETWORK_EXIST", -1)):
        return Conflict(message)
    return BackendError(f"libvirt: {message}")


def libvirt_call(fn):
    """Decorator: a libvirtError raised inside becomes an AcliError."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as err:
            # libvirt is imported here, not on every call: the wrapper runs
            # once a line in a batch, an error almost never.
            import libvirt

            if isinstance(err, libvirt.libvirtError):
                raise translate(err) from None
            raise

    return wrapper
