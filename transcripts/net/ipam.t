# Managed networks (IPAM): ip_config turns it on; the DHCP server takes the
# last usable address unless dhcp_address says otherwise.
<acropolis> net.create lab vlan=30 ip_config=10.1.1.1/24
lab: complete
<acropolis> net.create dmz vlan=40 ip_config=192.168.7.1/28 dhcp_address=192.168.7.2
dmz: complete
<acropolis> net.create plain vlan=50
plain: complete
<acropolis> net.add_dhcp_pool lab start=10.1.1.100 end=10.1.1.102
lab: complete
<acropolis> net.add_dhcp_pool lab start=10.1.1.10 end=10.1.1.19
lab: complete
<acropolis> net.update_dhcp_dns lab servers=10.1.1.2,10.1.1.3 domains=lab.example,example.com
lab: complete
<acropolis> net.add_to_ip_blacklist lab ip_list=10.1.1.100,10.1.1.15
lab: complete
<acropolis> net.get lab
lab {
  dhcp_server {
    address: "10.1.1.254/24"
    lease_time: 3600
    namespace: "acli-dhcp-<uuid:1>"
    option: "option:router,10.1.1.1"
    option: "option:dns-server,10.1.1.2,10.1.1.3"
    option: "option:domain-name,lab.example"
    option: "option:domain-search,lab.example,example.com"
    state: "not run on this host (configuration only)"
  }
  identifier: 30
  ip_config {
    default_gateway_ip: "10.1.1.1"
    dhcp_options {
      domain_name_servers: "10.1.1.2,10.1.1.3"
      domain_search: "lab.example,example.com"
    }
    dhcp_server_address: "10.1.1.254"
    ip_blacklist: "10.1.1.15"
    ip_blacklist: "10.1.1.100"
    network_address: "10.1.1.0"
    pool {
      range: "10.1.1.10 10.1.1.19"
    }
    pool {
      range: "10.1.1.100 10.1.1.102"
    }
    prefix_length: 24
  }
  name: "lab"
  type: "kBridged"
  uuid: "<uuid:1>"
  virtual_switch: "vs0"
  vswitch_name: "br0"
}
<acropolis> net.get dmz
dmz {
  dhcp_server {
    address: "192.168.7.2/28"
    lease_time: 3600
    namespace: "acli-dhcp-<uuid:2>"
    option: "option:router,192.168.7.1"
    option: "option:dns-server"
    state: "not run on this host (configuration only)"
  }
  identifier: 40
  ip_config {
    default_gateway_ip: "192.168.7.1"
    dhcp_server_address: "192.168.7.2"
    network_address: "192.168.7.0"
    prefix_length: 28
  }
  name: "dmz"
  type: "kBridged"
  uuid: "<uuid:2>"
  virtual_switch: "vs0"
  vswitch_name: "br0"
}
<acropolis> net.list
Network name  Network UUID                          Type      Identifier  Subnet
dmz           <uuid:2>  kBridged  40          192.168.7.0/28
lab           <uuid:1>  kBridged  30          10.1.1.0/24
plain         <uuid:3>  kBridged  50

# Pools: inside the subnet, start <= end, no gateway or DHCP server, no overlap.
<acropolis> net.add_dhcp_pool lab start=10.1.2.5 end=10.1.2.9
Error: Bad value for start: 10.1.2.5 is not in lab's subnet 10.1.1.0/24
[exit 2]
<acropolis> net.add_dhcp_pool lab start=10.1.1.50 end=10.1.1.255
Error: Bad value for end: 10.1.1.255 is lab's broadcast address
[exit 2]
<acropolis> net.add_dhcp_pool lab start=10.1.1.60 end=10.1.1.50
Error: Bad value for end: 10.1.1.50 is before start 10.1.1.60
[exit 2]
<acropolis> net.add_dhcp_pool lab start=10.1.1.200 end=10.1.1.254
Error: Bad pool 10.1.1.200-10.1.1.254: it holds lab's DHCP server address 10.1.1.254
[exit 2]
<acropolis> net.add_dhcp_pool lab start=10.1.1.1 end=10.1.1.5
Error: Bad pool 10.1.1.1-10.1.1.5: it holds lab's gateway 10.1.1.1
[exit 2]
<acropolis> net.add_dhcp_pool lab start=10.1.1.18 end=10.1.1.30
Error: DHCP pool 10.1.1.18-10.1.1.30 overlaps pool 10.1.1.10-10.1.1.19 of lab
[exit 1]
<acropolis> net.add_dhcp_pool dmz start=192.168.7.1 end=192.168.7.5
Error: Bad pool 192.168.7.1-192.168.7.5: it holds dmz's gateway 192.168.7.1
[exit 2]
<acropolis> net.add_dhcp_pool lab start=10.1.1.40
Error: Missing argument: end (net.add_dhcp_pool network start=IPV4 end=IPV4)
[exit 2]
<acropolis> net.add_dhcp_pool lab start=10.1.1.x end=10.1.1.50
Error: Bad value for start: '10.1.1.x' is not an IPv4 address (column 29)
[exit 2]
<acropolis> net.add_dhcp_pool plain start=10.1.1.40 end=10.1.1.50
Error: network plain is not managed (it has no ip_config): net.add_dhcp_pool needs a network made with ip_config=GATEWAY/PREFIX
[exit 1]
<acropolis> net.add_dhcp_pool nowhere start=10.1.1.40 end=10.1.1.50
Error: Unknown name: nowhere
[exit 1]
<acropolis> net.delete_dhcp_pool lab start=10.1.1.11
Error: lab has no DHCP pool starting at 10.1.1.11 (its pools: 10.1.1.10-10.1.1.19, 10.1.1.100-10.1.1.102)
[exit 1]
<acropolis> net.delete_dhcp_pool lab start=10.1.1.10 end=10.1.1.18
Error: lab has no DHCP pool 10.1.1.10-10.1.1.18 (its pools: 10.1.1.10-10.1.1.19, 10.1.1.100-10.1.1.102)
[exit 1]

# DNS options and the blacklist.
<acropolis> net.update_dhcp_dns lab
Error: net.update_dhcp_dns: nothing to change (give servers, domains or both)
[exit 2]
<acropolis> net.update_dhcp_dns lab domains=bad_domain!
Error: Bad value for domains: 'bad_domain!' is not a domain name
[exit 2]
<acropolis> net.update_dhcp_dns lab servers=10.1.1.300
Error: Bad value for servers: '10.1.1.300' is not an IPv4 address (column 33)
[exit 2]
<acropolis> net.update_dhcp_dns plain servers=10.1.1.2
Error: network plain is not managed (it has no ip_config): net.update_dhcp_dns needs a network made with ip_config=GATEWAY/PREFIX
[exit 1]
<acropolis> net.add_to_ip_blacklist lab ip_list=10.9.9.9
Error: Bad value for ip_list: 10.9.9.9 is not in lab's subnet 10.1.1.0/24
[exit 2]
<acropolis> net.add_to_ip_blacklist lab ip_list=10.1.1.15
Error: 10.1.1.15 is already in lab's IP blacklist
[exit 1]
<acropolis> net.add_to_ip_blacklist lab ip_list=10.1.1.20,10.1.1.0
Error: Bad value for ip_list: 10.1.1.0 is lab's network address
[exit 2]
<acropolis> net.delete_from_ip_blacklist lab ip_list=10.1.1.16
Error: 10.1.1.16 is not in lab's IP blacklist (10.1.1.15, 10.1.1.100)
[exit 1]
<acropolis> net.delete_from_ip_blacklist lab ip_list=10.1.1.15
lab: complete
<acropolis> net.update_dhcp_dns lab domains=corp.example
lab: complete
<acropolis> net.get lab
lab {
  dhcp_server {
    address: "10.1.1.254/24"
    lease_time: 3600
    namespace: "acli-dhcp-<uuid:1>"
    option: "option:router,10.1.1.1"
    option: "option:dns-server,10.1.1.2,10.1.1.3"
    option: "option:domain-name,corp.example"
    option: "option:domain-search,corp.example"
    state: "not run on this host (configuration only)"
  }
  identifier: 30
  ip_config {
    default_gateway_ip: "10.1.1.1"
    dhcp_options {
      domain_name_servers: "10.1.1.2,10.1.1.3"
      domain_search: "corp.example"
    }
    dhcp_server_address: "10.1.1.254"
    ip_blacklist: "10.1.1.100"
    network_address: "10.1.1.0"
    pool {
      range: "10.1.1.10 10.1.1.19"
    }
    pool {
      range: "10.1.1.100 10.1.1.102"
    }
    prefix_length: 24
  }
  name: "lab"
  type: "kBridged"
  uuid: "<uuid:1>"
  virtual_switch: "vs0"
  vswitch_name: "br0"
}
<acropolis> net.clear_dhcp_dns lab
lab: complete
<acropolis> net.get lab
lab {
  dhcp_server {
    address: "10.1.1.254/24"
    lease_time: 3600
    namespace: "acli-dhcp-<uuid:1>"
    option: "option:router,10.1.1.1"
    option: "option:dns-server"
    state: "not run on this host (configuration only)"
  }
  identifier: 30
  ip_config {
    default_gateway_ip: "10.1.1.1"
    dhcp_server_address: "10.1.1.254"
    ip_blacklist: "10.1.1.100"
    network_address: "10.1.1.0"
    pool {
      range: "10.1.1.10 10.1.1.19"
    }
    pool {
      range: "10.1.1.100 10.1.1.102"
    }
    prefix_length: 24
  }
  name: "lab"
  type: "kBridged"
  uuid: "<uuid:1>"
  virtual_switch: "vs0"
  vswitch_name: "br0"
}

# NICs on a managed network hold an address: ip= reserves one, otherwise the
# first free pool address (blacklisted ones skipped); request_ip=false: none.
<acropolis> vm.create web1,web2,web3 memory=64M
web1: complete
web2: complete
web3: complete
<acropolis> vm.nic_create web1 network=lab ip=10.1.1.50
NicCreate: complete
<acropolis> vm.nic_create web1 network=lab
NicCreate: complete
<acropolis> vm.nic_create web2 network=lab request_ip=true
NicCreate: complete
<acropolis> vm.nic_create web2 network=lab request_ip=false
NicCreate: complete
<acropolis> vm.nic_create web3 network=plain
NicCreate: complete
<acropolis> net.list_vms lab
VM UUID                               VM name  MAC address        IP address
<uuid:4>  web1     <mac:1>  10.1.1.50
<uuid:4>  web1     <mac:2>  10.1.1.10
<uuid:5>  web2     <mac:3>  10.1.1.11
<uuid:5>  web2     <mac:4>
<acropolis> net.list_vms plain
VM UUID                               VM name  MAC address
<uuid:6>  web3     <mac:5>
<acropolis> vm.nic_get web1
<mac:1> {
  connected: True
  ip_address: "10.1.1.50"
  mac_addr: "<mac:1>"
  model: "virtio"
  network_name: "lab"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  type: "kNormalNic"
  uuid: "<uuid:7>"
  vlan_mode: "kAccess"
}
<mac:2> {
  connected: True
  ip_address: "10.1.1.10"
  mac_addr: "<mac:2>"
  model: "virtio"
  network_name: "lab"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  type: "kNormalNic"
  uuid: "<uuid:8>"
  vlan_mode: "kAccess"
}
<acropolis> -o json net.list_vms lab
{"data": [{"vm_uuid": "<uuid:4>", "vm_name": "web1", "mac_addr": "<mac:1>", "ip_address": "10.1.1.50"}, {"vm_uuid": "<uuid:4>", "vm_name": "web1", "mac_addr": "<mac:2>", "ip_address": "10.1.1.10"}, {"vm_uuid": "<uuid:5>", "vm_name": "web2", "mac_addr": "<mac:3>", "ip_address": "10.1.1.11"}, {"vm_uuid": "<uuid:5>", "vm_name": "web2", "mac_addr": "<mac:4>", "ip_address": ""}], "error": null, "status": 0}

# Addresses a NIC cannot have.
<acropolis> vm.nic_create web3 network=lab ip=10.1.1.50
Error: IP address already in use on lab: 10.1.1.50 (NIC <mac:1> of VM web1)
[exit 1]
<acropolis> vm.nic_create web3 network=lab ip=10.1.1.1
Error: Bad value for ip: 10.1.1.1 is lab's gateway
[exit 2]
<acropolis> vm.nic_create web3 network=lab ip=10.1.1.254
Error: Bad value for ip: 10.1.1.254 is lab's DHCP server address
[exit 2]
<acropolis> vm.nic_create web3 network=lab ip=10.1.1.100
Error: Bad value for ip: 10.1.1.100 is in lab's IP blacklist
[exit 2]
<acropolis> vm.nic_create web3 network=lab ip=10.1.5.5
Error: Bad value for ip: 10.1.5.5 is not in lab's subnet 10.1.1.0/24
[exit 2]
<acropolis> vm.nic_create web3 network=lab ip=10.1.1.255
Error: Bad value for ip: 10.1.1.255 is lab's broadcast address
[exit 2]
<acropolis> vm.nic_create web3 network=plain ip=10.1.1.60
Error: ip needs IP address management: plain is an unmanaged network (made without ip_config=)
[exit 2]
<acropolis> vm.nic_create web3 network=plain request_ip=true
Error: request_ip needs IP address management: plain is an unmanaged network (made without ip_config=)
[exit 2]
<acropolis> vm.nic_create web* network=lab ip=10.1.1.60
Error: ip= names one address; the selection matched several VMs
[exit 2]
<acropolis> net.add_to_ip_blacklist lab ip_list=10.1.1.50
Error: 10.1.1.50 is assigned to NIC <mac:1> of VM web1; change or delete that NIC first
[exit 1]
<acropolis> vm.nic_create web3 network=dmz request_ip=true
Error: request_ip=true: dmz has no DHCP pools; add one with net.add_dhcp_pool or give ip=
[exit 1]

# The pools run out; a freed address is handed out again. Deleting a pool
# leaves the addresses NICs hold from it.
<acropolis> net.delete_dhcp_pool lab start=10.1.1.10
lab: complete
<acropolis> vm.nic_create web3 network=lab
NicCreate: complete
<acropolis> vm.nic_create web3 network=lab
NicCreate: complete
<acropolis> vm.nic_create web3 network=lab
Error: no free address in lab's DHCP pools (10.1.1.100-10.1.1.102); add a pool with net.add_dhcp_pool or give ip=
[exit 1]
<acropolis> net.list_vms lab
VM UUID                               VM name  MAC address        IP address
<uuid:4>  web1     <mac:1>  10.1.1.50
<uuid:4>  web1     <mac:2>  10.1.1.10
<uuid:5>  web2     <mac:3>  10.1.1.11
<uuid:5>  web2     <mac:4>
<uuid:6>  web3     <mac:6>  10.1.1.101
<uuid:6>  web3     <mac:7>  10.1.1.102

# Deleting a NIC gives its address back; so does deleting a VM.
<acropolis> vm.create db1 memory=64M
db1: complete
<acropolis> vm.nic_create db1 network=lab mac=50:6b:8d:00:00:01 ip=10.1.1.60
NicCreate: complete
<acropolis> vm.nic_create db1 network=lab mac=50:6b:8d:00:00:02 ip=10.1.1.61
NicCreate: complete
<acropolis> vm.nic_delete web3 50:6b:8d:00:00:01
Error: web3 has no NIC <mac:8> (it has <mac:5>, <mac:6>, <mac:7>)
[exit 1]
<acropolis> vm.nic_delete db1 50:6b:8d:00:00:01
NicDelete: complete
<acropolis> vm.nic_create db1 network=lab ip=10.1.1.60
NicCreate: complete
<acropolis> -y vm.delete db1
db1: complete
<acropolis> vm.create db2 memory=64M
db2: complete
<acropolis> vm.nic_create db2 network=lab mac=50:6b:8d:00:00:03 ip=10.1.1.61
NicCreate: complete

# vm.nic_update ip= changes the address; moving the NIC frees the old
# network's address and takes one on the new network (ip=, else a pool one).
<acropolis> vm.nic_update db2 50:6b:8d:00:00:03 ip=10.1.1.62
NicUpdate: complete
<acropolis> vm.nic_get db2
<mac:9> {
  connected: True
  ip_address: "10.1.1.62"
  mac_addr: "<mac:9>"
  model: "virtio"
  network_name: "lab"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  type: "kNormalNic"
  uuid: "<uuid:9>"
  vlan_mode: "kAccess"
}
<acropolis> vm.nic_update db2 50:6b:8d:00:00:03 ip=10.1.1.1
Error: Bad value for ip: 10.1.1.1 is lab's gateway
[exit 2]
<acropolis> vm.nic_update db2 50:6b:8d:00:00:03 ip=10.1.1.50
Error: IP address already in use on lab: 10.1.1.50 (NIC <mac:1> of VM web1)
[exit 1]
<acropolis> vm.nic_update db2 50:6b:8d:00:00:03 network=plain ip=10.1.1.70
Error: ip needs IP address management: plain is an unmanaged network (made without ip_config=)
[exit 2]
<acropolis> vm.nic_update db2 50:6b:8d:00:00:03 network=dmz ip=192.168.7.9
NicUpdate: complete
<acropolis> net.list_vms dmz
VM UUID                               VM name  MAC address        IP address
<uuid:10>  db2      <mac:9>  192.168.7.9
<acropolis> vm.nic_update db2 50:6b:8d:00:00:03 network=plain
NicUpdate: complete
<acropolis> net.list_vms plain
VM UUID                               VM name  MAC address
<uuid:10>  db2      <mac:9>
<uuid:6>  web3     <mac:5>
<acropolis> vm.nic_update db2 50:6b:8d:00:00:03 ip=10.1.1.63
Error: ip needs IP address management: plain is an unmanaged network (made without ip_config=)
[exit 2]
<acropolis> vm.nic_update db2 50:6b:8d:00:00:03 network=lab ip=10.1.1.63
NicUpdate: complete
<acropolis> vm.get db2
db2 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "db2"
    nic_list {
      connected: True
      ip_address: "10.1.1.63"
      mac_addr: "<mac:9>"
      model: "virtio"
      network_name: "lab"
      network_type: "kNativeNetwork"
      network_uuid: "<uuid:1>"
      type: "kNormalNic"
      uuid: "<uuid:9>"
      vlan_mode: "kAccess"
    }
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 6
  state: "kOff"
  uuid: "<uuid:10>"
}
<acropolis> net.list_vms lab
VM UUID                               VM name  MAC address        IP address
<uuid:10>  db2      <mac:9>  10.1.1.63
<uuid:4>  web1     <mac:1>  10.1.1.50
<uuid:4>  web1     <mac:2>  10.1.1.10
<uuid:5>  web2     <mac:3>  10.1.1.11
<uuid:5>  web2     <mac:4>
<uuid:6>  web3     <mac:6>  10.1.1.101
<uuid:6>  web3     <mac:7>  10.1.1.102

# A clone's NICs get fresh MACs and, on managed networks, pool addresses.
<acropolis> vm.clone db3 clone_from_vm=db2
Error: no free address in lab's DHCP pools (10.1.1.100-10.1.1.102); add a pool with net.add_dhcp_pool or give ip=
[exit 1]
<acropolis> net.add_dhcp_pool lab start=10.1.1.20 end=10.1.1.29
lab: complete
<acropolis> vm.clone db3 clone_from_vm=db2
db3: complete
<acropolis> net.list_vms lab
VM UUID                               VM name  MAC address        IP address
<uuid:10>  db2      <mac:9>  10.1.1.63
<uuid:11>  db3      <mac:10>  10.1.1.20
<uuid:4>  web1     <mac:1>  10.1.1.50
<uuid:4>  web1     <mac:2>  10.1.1.10
<uuid:5>  web2     <mac:3>  10.1.1.11
<uuid:5>  web2     <mac:4>
<uuid:6>  web3     <mac:6>  10.1.1.101
<uuid:6>  web3     <mac:7>  10.1.1.102
<acropolis> -y net.delete lab
Error: network lab is used by 8 NICs of 5 VMs (db2, db3, web1, web2, web3); delete or move those NICs first
[exit 1]
