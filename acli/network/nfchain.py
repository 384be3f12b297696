"""Network-function NICs (aCLI's `type=kNetworkFunctionNic`): the NICs of
service-chain VMs (a firewall, an IDS), which sit on the network-function
bridge of the chain AHV hosts build for VM traffic (brN.local -> br.microseg
-> br.nf -> brN) rather than on a network.

The simplest honest version: such a NIC is a port on the OVS bridge br.nf,
made (with its internal port only) when the first one is created:

    <interface type='bridge'>
      <source bridge='br.nf'/>
      <virtualport type='openvswitch'>
        <parameters interfaceid='NIC UUID' profileid='nf-kIngress'/>
      </virtualport>
    </interface>

Its kind (kIngress, kEgress, kTap) is the virtualport's profileid, which
libvirt writes on the port as Interface `external_ids:port-profile` each
time it makes the port (VM start, hot-plug), whoever started the VM; the
sandbox's ports do the same. Steering traffic through the chain (the patch
ports and flows between the chain's bridges) is not built: see
docs/networking.md.
"""

from __future__ import annotations

NF_BRIDGE = "br.nf"
NF_NIC = "kNetworkFunctionNic"
NF_TYPES = ("kIngress", "kEgress", "kTap")
_PROFILE_PREFIX = "nf-"
CHAIN_KEY = "acli-chain"  # Bridge external_ids: which chain bridge acli made


def profile_of(nf_type: str) -> str:
    return _PROFILE_PREFIX + nf_type


def type_of(profile: str | None) -> str | None:
    """The network-function kind a virtualport profileid names, or None."""
    if profile and profile.startswith(_PROFILE_PREFIX) and profile[3:] in NF_TYPES:
        return profile[3:]
    return None


def ensure_bridge(host) -> None:
    """Make br.nf (an internal port, no uplink) if the host has none yet."""
    from acli.network import switchservice, vswitch

    db = host.ovsdb()
    db.refresh()
    if db.bridge(NF_BRIDGE) is not None:
        return
    dp = switchservice.datapath_type(host, db)
    # the sandbox's stand-in for what ovs-vswitchd reports of an internal port
    status_of = switchservice.status_of_factory(None if host.caps.vswitchd else {})

    def plan(txn, d):
        if d.bridge(NF_BRIDGE) is None:  # another acli may have made it meanwhile
            vswitch.stage_plain_bridge(txn, d, NF_BRIDGE, dp, status_of,
                                       {CHAIN_KEY: "network-function"})

    db.transact(plan, expect_change=False, wait_vswitchd=host.caps.vswitchd)
