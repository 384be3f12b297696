# A trunked NIC holds an address on every managed network whose VLAN it
# carries tagged (not on its own network's VLAN, whose requests arrive
# untagged): that network's DHCP server answers its tagged requests.
<acropolis> net.create lab vlan=10 ip_config=198.51.100.1/24
lab: complete
<acropolis> net.add_dhcp_pool lab start=198.51.100.100 end=198.51.100.101
lab: complete
<acropolis> net.create lab20 vlan=20 ip_config=203.0.113.1/24
lab20: complete
<acropolis> net.add_dhcp_pool lab20 start=203.0.113.100 end=203.0.113.110
lab20: complete
<acropolis> net.create plain vlan=30
plain: complete
<acropolis> vm.create t1 memory=64M
t1: complete
<acropolis> vm.nic_create t1 network=plain vlan_mode=kTrunked trunked_networks=10,20 mac=50:6b:8d:00:00:01
NicCreate: complete
<acropolis> vm.nic_get t1
<mac:1> {
  connected: True
  mac_addr: "<mac:1>"
  model: "virtio"
  network_name: "plain"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  trunked_network_ip_list {
    ip_address: "198.51.100.100"
    network_name: "lab"
    network_uuid: "<uuid:2>"
    vlan_id: 10
  }
  trunked_network_ip_list {
    ip_address: "203.0.113.100"
    network_name: "lab20"
    network_uuid: "<uuid:3>"
    vlan_id: 20
  }
  trunked_networks: 10
  trunked_networks: 20
  trunked_networks: 30
  type: "kNormalNic"
  uuid: "<uuid:4>"
  vlan_mode: "kTrunked"
}
<acropolis> net.list_vms lab20
VM UUID                               VM name  MAC address        IP address
<uuid:5>  t1       <mac:1>  203.0.113.100
<acropolis> net.get lab20
lab20 {
  dhcp_server {
    address: "203.0.113.254/24"
    lease_time: 3600
    namespace: "acli-dhcp-<uuid:3>"
    option: "option:router,203.0.113.1"
    option: "option:dns-server"
    reservation: "<mac:1>,203.0.113.100"
    state: "not run on this host (configuration only)"
  }
  identifier: 20
  ip_config {
    default_gateway_ip: "203.0.113.1"
    dhcp_server_address: "203.0.113.254"
    network_address: "203.0.113.0"
    pool {
      range: "203.0.113.100 203.0.113.110"
    }
    prefix_length: 24
  }
  name: "lab20"
  type: "kBridged"
  uuid: "<uuid:3>"
  virtual_switch: "vs0"
  vswitch_name: "br0"
}
# trunked_networks changes: the address on lab goes back to its pool
<acropolis> vm.nic_update t1 50:6b:8d:00:00:01 update_vlan_trunk_info=true trunked_networks=12,20
NicUpdate: complete
<acropolis> net.list_vms lab
VM UUID  VM name  MAC address  IP address
# a network re-tagged onto a VLAN the trunk carries gives it an address
<acropolis> net.update lab vlan=12
lab: complete
<acropolis> net.list_vms lab
VM UUID                               VM name  MAC address        IP address
<uuid:5>  t1       <mac:1>  198.51.100.100
# full pools refuse the change, which leaves everything as it was
<acropolis> vm.create t2 memory=64M
t2: complete
<acropolis> vm.nic_create t2 network=lab
NicCreate: complete
<acropolis> vm.nic_create t2 network=plain vlan_mode=kTrunked trunked_networks=12
Error: no free address in lab's DHCP pools (198.51.100.100-198.51.100.101) for trunked NIC <mac:2>, which carries its VLAN 12; add a pool with net.add_dhcp_pool
[exit 1]
<acropolis> net.list_vms lab
VM UUID                               VM name  MAC address        IP address
<uuid:5>  t1       <mac:1>  198.51.100.100
<uuid:6>  t2       <mac:3>  198.51.100.101
# an access NIC carries no other VLAN: its trunk addresses go back
<acropolis> vm.nic_update t1 50:6b:8d:00:00:01 vlan_mode=kAccess
NicUpdate: complete
<acropolis> net.list_vms lab20
VM UUID  VM name  MAC address  IP address
<acropolis> -o json net.list_vms lab
{"data": [{"vm_uuid": "<uuid:6>", "vm_name": "t2", "mac_addr": "<mac:3>", "ip_address": "198.51.100.101"}], "error": null, "status": 0}
