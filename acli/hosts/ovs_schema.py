"""Where the Open vSwitch database schema is: the ovs package's compiled-in
defaults point at /usr/local, Debian installs it under /usr/share."""

from __future__ import annotations

import os

from acli.errors import BackendError

SCHEMA_PATHS = ("/usr/share/openvswitch/vswitch.ovsschema",
                "/usr/local/share/openvswitch/vswitch.ovsschema")


def schema_path() -> str:
    for path in SCHEMA_PATHS:
        if os.path.exists(path):
            return path
    raise BackendError("Open vSwitch schema not found: install the openvswitch-common package")
