"""Entity names for completion, read from the host between commands.

PROVIDERS maps an entity kind (as the command table's EntityRef/Selector
name it) to fn(host) -> names. Other parts of acli register their kinds.
"""

from __future__ import annotations


def _vm_names(host):
    return [d.name() for d in host.conn.listAllDomains()]


def _network_names(host):
    return [n.name() for n in host.conn.listAllNetworks()]


def _container_names(host):
    return [p.name() for p in host.conn.listAllStoragePools()]


def _image_names(host):
    from acli.storage import images

    return [i.name for i in images.list_images(host)]


def _snapshot_names(host):
    from acli.storage import snapshots

    return [s.name for s in snapshots.all_snapshots(host)]


PROVIDERS = {"vm": _vm_names, "network": _network_names, "container": _container_names,
             "image": _image_names, "snapshot": _snapshot_names}


class NameCache:
    def __init__(self):
        self.names: dict[str, list[str]] = {}

    def refresh(self, session):
        """Re-read every kind; a host that fails to answer keeps old names."""
        if not session.host_opened:
            try:
                session.host  # open it: the REPL talks to the host anyway
            except Exception:
                return
        host = session.host
        fresh = {}
        try:
            with host.operation(False):
                for kind, provider in PROVIDERS.items():
                    try:
                        fresh[kind] = provider(host)
                    except Exception:
                        fresh[kind] = self.names.get(kind, [])
        except Exception:
            return
        self.names = fresh

    def __call__(self, kind: str) -> list[str]:
        return self.names.get(kind, [])
