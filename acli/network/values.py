"""Checks on every value acli writes to OVSDB or libvirt, made before writing:
OVSDB drops out-of-range values silently, so nothing unchecked reaches it."""

from __future__ import annotations

import re

from acli.errors import UsageError

VLAN_MIN, VLAN_MAX = 0, 4094        # 4095 is reserved; 0 is the untagged network
MTU_MIN, MTU_MAX = 68, 9216         # IPv4's minimum; the largest jumbo frame NICs take
IFNAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,14}")  # Linux: at most 15 bytes
VSWITCH_RE = re.compile(r"vs(\d{1,3})")
BRIDGE_RE = re.compile(r"br(\d{1,3})")

# aCLI bond types -> (OVS bond_mode, lacp)
BOND_TYPES = {
    "kActiveBackup": ("active-backup", "off"),
    "kBalanceSlb": ("balance-slb", "off"),
    "kBalanceTcp": ("balance-tcp", "active"),
    "kNone": (None, "off"),
}
BOND_MODES = {mode: kind for kind, (mode, _) in BOND_TYPES.items() if mode}
LACP_TIMEOUTS = {"kFast": "fast", "kSlow": "slow"}


def vlan(value: int, what: str = "vlan") -> int:
    if not isinstance(value, int) or not VLAN_MIN <= value <= VLAN_MAX:
        raise UsageError(f"Bad value for {what}: {value} is not a VLAN id ({VLAN_MIN}..{VLAN_MAX})")
    return value


def mtu(value: int) -> int:
    if not MTU_MIN <= value <= MTU_MAX:
        raise UsageError(f"Bad value for mtu: {value} is not between {MTU_MIN} and {MTU_MAX}")
    return value


def ifname(name: str, what: str) -> str:
    if not IFNAME_RE.fullmatch(name):
        raise UsageError(f"Bad value for {what}: '{name}' is not an interface name "
                         "(letters, digits, _ . -; at most 15)")
    return name


def vswitch_index(name: str) -> int:
    """vs3 -> 3; anything else is a usage error."""
    m = VSWITCH_RE.fullmatch(name)
    if not m:
        raise UsageError(f"Bad virtual switch name: '{name}' (virtual switches are vs0, vs1, ...)")
    return int(m.group(1))


def vswitch_name(name: str) -> str:
    """A virtual switch's name as net.migrate_br_to_virtual_switch gives one
    to an adopted bridge: any name (AHV's own are vsN, an admin's may be
    "vs-storage"), kept in the bridge's external_ids."""
    from acli.names import check_name

    return check_name("vs_name", name, None)


def bridge_of(vs_name: str) -> str:
    return f"br{vswitch_index(vs_name)}"


def bond_of(bridge: str) -> str:
    return f"{bridge}-up"
