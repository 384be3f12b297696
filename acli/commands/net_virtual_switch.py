"""net.*_virtual_switch and net.migrate_br_to_virtual_switch: virtual switches
(OVS bridges with a bonded uplink)."""

from __future__ import annotations

from acli.commands.table import command, keyword, positional
from acli.errors import AcliError
from acli.commands.types import Bool, Enum, Int, ListOf, MapType, Name, ParamType, Str
from acli.output.results import Record, Records, Table, Task, Tasks
from acli.syntax.words import MapValue

BOND_TYPE = Enum("kActiveBackup", "kBalanceSlb", "kBalanceTcp", "kNone")
LACP_TIMEOUT = Enum("kFast", "kSlow")


class NicOrMap(ParamType):
    """active_uplink=eth2, or aCLI's per-host map {HOST:eth2}."""

    shape = "NIC or {HOST:NIC}"

    def convert(self, param, value):
        if len(value.items) == 1 and isinstance(value.items[0], MapValue):
            return dict(value.items[0].pairs)
        if value.text.strip().startswith("{"):
            return MapType().convert(param, value)
        return super().convert(param, value)

    def convert_word(self, param, word):
        return word.text


def _sw():
    from acli.network import switchservice

    return switchservice


# virtual switches ----------------------------------------------------------

_VS_SETTINGS = (
    keyword("uplinks", ListOf(Str()), "host NICs of the uplink bond, e.g. eth2,eth3"),
    keyword("host_uplink_config", MapType(), "aCLI's per-host form: {HOST:eth2,eth3}"),
    keyword("bond_type", BOND_TYPE, "kActiveBackup, kBalanceSlb, kBalanceTcp (LACP) or kNone"),
    keyword("lacp_timeout", LACP_TIMEOUT, "LACP rate (kBalanceTcp only)"),
    keyword("lacp_fallback", Bool(), "fall back to active-backup without an LACP partner"),
    keyword("mtu", Int(68, 9216), "MTU of the uplinks and the bridge"),
    keyword("active_uplink", NicOrMap(), "the preferred NIC of an active-backup bond"),
    keyword("quick_mode", Bool(), "accepted for aCLI scripts; changes always apply at once"),
)


def _settings(ctx, uplinks, host_uplink_config, bond_type, lacp_timeout, lacp_fallback, mtu,
              active_uplink, host=None):
    return _sw().settings_from(host or ctx.host, uplinks=uplinks,
                               host_uplink_config=host_uplink_config, bond_type=bond_type,
                               lacp_timeout=lacp_timeout, lacp_fallback=lacp_fallback, mtu=mtu,
                               active_uplink=active_uplink)


def _check_every_host(ctx, check) -> None:
    """A virtual switch is every host's (the command runs on each, scope
    "each"): before the first host changes, `check(host)` on all of them,
    so that a refusal changes nothing anywhere."""
    if ctx.cluster.single or ctx.shared.get("checked"):
        return
    for member in ctx.cluster.answering():
        try:
            check(member.host)
        except AcliError as err:
            raise type(err)(f"host {member.name}: {err.message}") from None
    ctx.shared["checked"] = True


@command("net.create_virtual_switch", "Create virtual switch vsN: bridge brN with bond brN-up.",
         positional("name", Str(), "vs1, vs2, ..."),
         *_VS_SETTINGS,
         mutates=True, scope="each")
def net_create_virtual_switch(ctx, name, uplinks, host_uplink_config, bond_type, lacp_timeout,
                              lacp_fallback, mtu, active_uplink, quick_mode):
    def settings(host=None):
        return _settings(ctx, uplinks, host_uplink_config, bond_type or "kActiveBackup",
                         lacp_timeout, lacp_fallback, mtu, active_uplink, host)

    _check_every_host(ctx, lambda host: _sw().check_create(host, name, settings(host)))
    uuid = _sw().create_switch(ctx.host, name, settings())
    return Tasks([Task(name, uuid=uuid)])


@command("net.update_virtual_switch", "Change a virtual switch's bond, LACP, MTU or uplinks.",
         positional("name", Str(), "the virtual switch: vsN, its bridge brN or its UUID"),
         *_VS_SETTINGS,
         mutates=True, scope="each")
def net_update_virtual_switch(ctx, name, uplinks, host_uplink_config, bond_type, lacp_timeout,
                              lacp_fallback, mtu, active_uplink, quick_mode):
    def settings(host=None):
        return _settings(ctx, uplinks, host_uplink_config, bond_type, lacp_timeout,
                         lacp_fallback, mtu, active_uplink, host)

    _check_every_host(ctx, lambda host: _sw().check_update(host, name, settings(host)))
    vs = _sw().update_switch(ctx.host, name, settings())
    return Tasks([Task(vs.name, uuid=vs.uuid)])


@command("net.delete_virtual_switch", "Delete a virtual switch no network uses (asks first).",
         positional("name", Str(), "the virtual switch: vsN, its bridge brN or its UUID"),
         mutates=True, scope="each")
def net_delete_virtual_switch(ctx, name):
    sw = _sw()
    _check_every_host(ctx, lambda host: sw.delete_check(host, name))
    vs = sw.delete_check(ctx.host, name)
    if not ctx.shared.get("confirmed"):  # asked once, not once a host
        ctx.confirm("Delete 1 virtual switches?")
        ctx.shared["confirmed"] = True
    sw.delete_switch(ctx.host, vs)
    return Tasks([Task(vs.name, uuid=vs.uuid)])


@command("net.get_virtual_switch", "Show virtual switches.",
         positional("name", ListOf(Str()), "virtual switches: vsN, bridge brN or UUID"))
def net_get_virtual_switch(ctx, name):
    sw = _sw()
    return Records([Record(vs.name, sw.switch_fields(ctx.host, vs), vs.uuid)
                    for vs in sw.find_switches(ctx.host, name)])


@command("net.list_virtual_switch", "List virtual switches.")
def net_list_virtual_switch(ctx):
    rows = [[vs.name, vs.uuid, vs.bond_type, vs.mtu, vs.bridge, ",".join(vs.uplinks)]
            for vs in _sw().switches(ctx.host)]
    return Table(["Virtual switch name", "Virtual switch UUID", "Bond type", "MTU", "Bridge",
                  "Uplinks"], ["name", "uuid", "bond_type", "mtu", "bridge", "uplinks"], rows)


@command("net.migrate_br_to_virtual_switch", "Adopt an existing OVS bridge as a virtual switch.",
         positional("bridge", Str(), "the bridge, e.g. br1"),
         keyword("vs_name", Name(), "its virtual switch name, any valid name "
                 "(default: vsN for brN)"),
         mutates=True, scope="each")
def net_migrate_br_to_virtual_switch(ctx, bridge, vs_name):
    name = _sw().migrate_bridge(ctx.host, bridge, vs_name)
    return Tasks([Task(name)])
