# Networks are VLANs on a virtual switch (vs0 = br0 unless told otherwise).
<acropolis> net.create vlan.10 vlan=10
vlan.10: complete
<acropolis> net.create vlan.20 vlan=20 virtual_switch=vs0 annotation="web tier"
vlan.20: complete
<acropolis> net.create mgmt vlan=0 vswitch_name=br0 ip_config=10.1.1.1/24
mgmt: complete
<acropolis> net.list
Network name  Network UUID                          Type      Identifier  Subnet
mgmt          <uuid:1>  kBridged  0           10.1.1.0/24
vlan.10       <uuid:2>  kBridged  10
vlan.20       <uuid:3>  kBridged  20
<acropolis> net.get vlan.20,mgmt
vlan.20 {
  annotation: "web tier"
  identifier: 20
  name: "vlan.20"
  type: "kBridged"
  uuid: "<uuid:3>"
  virtual_switch: "vs0"
  vswitch_name: "br0"
}
mgmt {
  dhcp_server {
    address: "10.1.1.254/24"
    lease_time: 3600
    namespace: "acli-dhcp-<uuid:1>"
    option: "option:router,10.1.1.1"
    option: "option:dns-server"
    state: "not run on this host (configuration only)"
  }
  identifier: 0
  ip_config {
    default_gateway_ip: "10.1.1.1"
    dhcp_server_address: "10.1.1.254"
    network_address: "10.1.1.0"
    prefix_length: 24
  }
  name: "mgmt"
  type: "kBridged"
  uuid: "<uuid:1>"
  virtual_switch: "vs0"
  vswitch_name: "br0"
}
<acropolis> -o json net.list
{"data": [{"name": "mgmt", "uuid": "<uuid:1>", "type": "kBridged", "id": 0, "subnet": "10.1.1.0/24"}, {"name": "vlan.10", "uuid": "<uuid:2>", "type": "kBridged", "id": 10, "subnet": ""}, {"name": "vlan.20", "uuid": "<uuid:3>", "type": "kBridged", "id": 20, "subnet": ""}], "error": null, "status": 0}

# A VLAN change re-tags the network's NICs; names follow into them too.
<acropolis> vm.create web1 memory=64M
web1: complete
<acropolis> vm.nic_create web1 network=vlan.10
NicCreate: complete
<acropolis> net.list_vms vlan.10
VM UUID                               VM name  MAC address
<uuid:4>  web1     <mac:1>
<acropolis> net.update vlan.10 vlan=11 annotation="moved"
vlan.10: complete
<acropolis> net.update vlan.10 name=vlan.11
vlan.11: complete
<acropolis> net.list_vms vlan.11
VM UUID                               VM name  MAC address
<uuid:4>  web1     <mac:1>
<acropolis> vm.nic_get web1
<mac:1> {
  connected: True
  mac_addr: "<mac:1>"
  model: "virtio"
  network_name: "vlan.11"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:2>"
  type: "kNormalNic"
  uuid: "<uuid:5>"
  vlan_mode: "kAccess"
}

# Errors: one line, naming the word at fault; nothing changes.
<acropolis> net.create vlan.10 vlan=4095
Error: Bad value for vlan: 4095 is above the maximum 4094 (column 25)
[exit 2]
<acropolis> net.create vlan.11 vlan=12
Error: network name already exists: vlan.11
[exit 1]
<acropolis> net.create vlan.30 vlan=30 virtual_switch=vs1
Error: Unknown name: vs1 (did you mean vs0?)
[exit 1]
<acropolis> net.create vlan.30 vlan=30 vswitch_name=br9
Error: Unknown name: br9 (did you mean br0?)
[exit 1]
<acropolis> net.create vlan.30 vlan=30 vswitch_name=br0 virtual_switch=vs0 ip_config=10.2.0.0/24
Error: Bad value for ip_config: 10.2.0.0 is the network's network address, not a gateway
[exit 2]
<acropolis> net.create vlan.30 vlan=30 dhcp_address=10.2.0.2
Error: dhcp_address needs ip_config (a managed network)
[exit 2]
<acropolis> net.create vlan.30 vlan=30 vlna=30
Error: Unknown keyword argument: vlna (did you mean vlan?) (column 28)
[exit 2]
<acropolis> net.create "vlan 30" vlan=30
Error: Bad value for name: 'vlan 30' is not a valid name (letters, digits, _ . + -; at most 64) (column 12)
[exit 2]
<acropolis> net.get vlan.1
Error: Unknown name: vlan.1 (did you mean vlan.11?) (column 9)
[exit 1]
<acropolis> net.update vlan.11
Error: net.update: nothing to change (give name, vlan or annotation)
[exit 2]
<acropolis> net.update vlan.11 name=mgmt
Error: network name already exists: mgmt
[exit 1]
<acropolis> net.list_vms nowhere
Error: Unknown name: nowhere
[exit 1]
<acropolis> net.list
Network name  Network UUID                          Type      Identifier  Subnet
mgmt          <uuid:1>  kBridged  0           10.1.1.0/24
vlan.11       <uuid:2>  kBridged  11
vlan.20       <uuid:3>  kBridged  20

# Delete asks first, and refuses while NICs use the network.
<acropolis> net.delete vlan.20
Error: Delete 1 networks: confirmation needed; add -y (no terminal to ask)
[exit 1]
<acropolis> -y net.delete vlan.11
Error: network vlan.11 is used by 1 NICs of 1 VMs (web1); delete or move those NICs first
[exit 1]
<acropolis> -y net.delete vlan.2*
vlan.20: complete
<acropolis> -y net.delete nomatch*
Error: no network matches nomatch* (column 15)
[exit 1]
<acropolis> net.list
Network name  Network UUID                          Type      Identifier  Subnet
mgmt          <uuid:1>  kBridged  0           10.1.1.0/24
vlan.11       <uuid:2>  kBridged  11
