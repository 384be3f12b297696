# A fresh host: vs0 is bridge br0 with bond br0-up over all its NICs.
<acropolis> net.list_virtual_switch
Virtual switch name  Virtual switch UUID                   Bond type      MTU   Bridge  Uplinks
vs0                  <uuid:1>  kActiveBackup  1500  br0     eth0,eth1,eth2,eth3
<acropolis> net.get_virtual_switch vs0
vs0 {
  bond_type: "kActiveBackup"
  bridge_name: "br0"
  host_config_list {
    bond_name: "br0-up"
    bridge_name: "br0"
    host_name: "sandbox"
    host_nic_list: "eth0"
    host_nic_list: "eth1"
    host_nic_list: "eth2"
    host_nic_list: "eth3"
    host_uuid: "<uuid:2>"
  }
  is_default: True
  mtu: 1500
  name: "vs0"
  num_vm_ports: 0
  uuid: "<uuid:1>"
}
<acropolis> net.list_host_nic sandbox
Name  MAC address        Link  Speed (Mbps)  MTU   Bridge  Bond
eth0  <mac:1>  up    10000         1500  br0     br0-up
eth1  <mac:2>  up    10000         1500  br0     br0-up
eth2  <mac:3>  up    10000         1500  br0     br0-up
eth3  <mac:4>  up    10000         1500  br0     br0-up
<acropolis> net.get_host_nic sandbox eth0
eth0 {
  bond_name: "br0-up"
  bridge_name: "br0"
  host_uuid: "<uuid:2>"
  link: "up"
  mac_addr: "<mac:1>"
  mtu: 1500
  name: "eth0"
  speed_mbps: 10000
}

# Take two NICs off vs0 and make vs1 with LACP over them.
<acropolis> net.update_virtual_switch vs0 uplinks=eth0,eth1
vs0: complete
<acropolis> net.create_virtual_switch vs1 uplinks=eth2,eth3 bond_type=kBalanceTcp lacp_timeout=kFast lacp_fallback=true mtu=9000
vs1: complete
<acropolis> net.list_virtual_switch
Virtual switch name  Virtual switch UUID                   Bond type      MTU   Bridge  Uplinks
vs0                  <uuid:1>  kActiveBackup  1500  br0     eth0,eth1
vs1                  <uuid:3>  kBalanceTcp    9000  br1     eth2,eth3
<acropolis> net.get_virtual_switch vs1
vs1 {
  bond_type: "kBalanceTcp"
  bridge_name: "br1"
  host_config_list {
    bond_name: "br1-up"
    bridge_name: "br1"
    host_name: "sandbox"
    host_nic_list: "eth2"
    host_nic_list: "eth3"
    host_uuid: "<uuid:2>"
  }
  is_default: False
  lacp_config {
    lacp_fallback: True
    lacp_timeout: "kFast"
  }
  mtu: 9000
  name: "vs1"
  num_vm_ports: 0
  uuid: "<uuid:3>"
}
<acropolis> net.update_virtual_switch vs1 bond_type=kActiveBackup active_uplink={sandbox:eth3}
vs1: complete
<acropolis> net.get_virtual_switch br1
vs1 {
  bond_type: "kActiveBackup"
  bridge_name: "br1"
  host_config_list {
    active_uplink: "eth3"
    bond_name: "br1-up"
    bridge_name: "br1"
    host_name: "sandbox"
    host_nic_list: "eth2"
    host_nic_list: "eth3"
    host_uuid: "<uuid:2>"
  }
  is_default: False
  mtu: 9000
  name: "vs1"
  num_vm_ports: 0
  uuid: "<uuid:3>"
}
<acropolis> net.list_host_nic sandbox
Name  MAC address        Link  Speed (Mbps)  MTU   Bridge  Bond
eth0  <mac:1>  up    10000         1500  br0     br0-up
eth1  <mac:2>  up    10000         1500  br0     br0-up
eth2  <mac:3>  up    10000         9000  br1     br1-up
eth3  <mac:4>  up    10000         9000  br1     br1-up

# A switch with networks on it stays; deleting asks first.
<acropolis> net.create vlan.7 vlan=7 virtual_switch=vs1
vlan.7: complete
<acropolis> -y net.delete_virtual_switch vs1
Error: vs1 is used by 1 networks (vlan.7); delete them first
[exit 1]
<acropolis> -y net.delete vlan.7
vlan.7: complete
<acropolis> net.delete_virtual_switch vs1
Error: Delete 1 virtual switches: confirmation needed; add -y (no terminal to ask)
[exit 1]
<acropolis> -y net.delete_virtual_switch vs1
vs1: complete
<acropolis> net.list_virtual_switch
Virtual switch name  Virtual switch UUID                   Bond type      MTU   Bridge  Uplinks
vs0                  <uuid:1>  kActiveBackup  1500  br0     eth0,eth1

# Errors: one line each; nothing changes.
<acropolis> net.create_virtual_switch vs1 uplinks=eth0
Error: eth0 is already an uplink of br0 (br0-up); take it off that switch first
[exit 1]
<acropolis> net.create_virtual_switch vs1 uplinks=eth7
Error: Unknown name: eth7 (did you mean eth3?)
[exit 1]
<acropolis> net.create_virtual_switch vs1
Error: vs1 needs uplinks: give uplinks=NIC[,NIC...] (see net.list_host_nic)
[exit 2]
<acropolis> net.create_virtual_switch switch1 uplinks=eth2
Error: Bad virtual switch name: 'switch1' (virtual switches are vs0, vs1, ...)
[exit 2]
<acropolis> net.create_virtual_switch vs0 uplinks=eth2
Error: virtual switch already exists: vs0
[exit 1]
<acropolis> net.update_virtual_switch vs0 lacp_timeout=kFast
Error: lacp_timeout and lacp_fallback need bond_type=kBalanceTcp (LACP)
[exit 2]
<acropolis> net.update_virtual_switch vs0 bond_type=kNone
Error: bond_type=kNone takes one uplink; 2 given (eth0,eth1)
[exit 2]
<acropolis> net.update_virtual_switch vs0 mtu=65000
Error: Bad value for mtu: 65000 is above the maximum 9216 (column 35)
[exit 2]
<acropolis> net.update_virtual_switch vs0 bond_type=kBalanceTCP2
Error: Bad value for bond_type: 'kBalanceTCP2' is not one of kActiveBackup, kBalanceSlb, kBalanceTcp, kNone (did you mean kBalanceTcp?) (column 41)
[exit 2]
<acropolis> net.update_virtual_switch vs0 active_uplink=eth3
Error: Bad value for active_uplink: eth3 is not an uplink of this switch (eth0,eth1)
[exit 2]
<acropolis> net.update_virtual_switch vs0 host_uplink_config={otherhost:eth2}
Error: Bad value for host_uplink_config: no entry for this host (sandbox or 127.0.0.1); got otherhost
[exit 2]
<acropolis> net.update_virtual_switch vs0
Error: net.update_virtual_switch: nothing to change (give bond_type, uplinks, mtu, lacp_timeout, ...)
[exit 2]
<acropolis> net.update_virtual_switch vs5 mtu=9000
Error: Unknown name: vs5 (did you mean vs0?)
[exit 1]
<acropolis> -y net.delete_virtual_switch vs0
Error: vs0 is the default virtual switch and cannot be deleted
[exit 1]
<acropolis> net.migrate_br_to_virtual_switch br0
Error: br0 is already virtual switch vs0
[exit 1]
<acropolis> net.migrate_br_to_virtual_switch br4 vs_name=vs4
Error: Unknown name: br4 (did you mean br0?)
[exit 1]
# An adopted bridge's switch may have any valid name, not only vsN; one that
# is no name is refused before anything changes.
<acropolis> net.migrate_br_to_virtual_switch br0 vs_name="storage switch"
Error: Bad value for vs_name: 'storage switch' is not a valid name (letters, digits, _ . + -; at most 64) (column 46)
[exit 2]
<acropolis> net.migrate_br_to_virtual_switch br0 vs_name=vs-storage
Error: br0 is already virtual switch vs0
[exit 1]
<acropolis> net.migrate_br_to_virtual_switch br4 vs_name=vs-storage
Error: Unknown name: br4 (did you mean br0?)
[exit 1]
<acropolis> net.list_host_nic otherhost
Error: Unknown name: otherhost
[exit 1]
<acropolis> net.get_host_nic sandbox eth9
Error: Unknown name: eth9 (did you mean eth3?)
[exit 1]
<acropolis> net.list_virtual_switch
Virtual switch name  Virtual switch UUID                   Bond type      MTU   Bridge  Uplinks
vs0                  <uuid:1>  kActiveBackup  1500  br0     eth0,eth1
