# VM NICs: access (the network's VLAN) or trunked (the network's VLAN
# untagged, the listed VLANs tagged); MACs start 50:6b:8d.
<acropolis> net.create vlan.10 vlan=10
vlan.10: complete
<acropolis> net.create vlan.20 vlan=20
vlan.20: complete
<acropolis> vm.create fooVM memory=64M
fooVM: complete
<acropolis> vm.nic_create fooVM vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10
NicCreate: complete
<acropolis> vm.nic_create fooVM network=vlan.20 mac=50:6b:8d:00:00:01 model=e1000 connected=false
NicCreate: complete
<acropolis> vm.nic_create fooVM network=vlan.20 queues=4
NicCreate: complete
<acropolis> vm.get fooVM
fooVM {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "fooVM"
    nic_list {
      connected: True
      mac_addr: "<mac:1>"
      model: "virtio"
      network_name: "vlan.10"
      network_type: "kNativeNetwork"
      network_uuid: "<uuid:1>"
      trunked_networks: 10
      trunked_networks: 20
      trunked_networks: 30
      type: "kNormalNic"
      uuid: "<uuid:2>"
      vlan_mode: "kTrunked"
    }
    nic_list {
      connected: False
      mac_addr: "<mac:2>"
      model: "e1000"
      network_name: "vlan.20"
      network_type: "kNativeNetwork"
      network_uuid: "<uuid:3>"
      type: "kNormalNic"
      uuid: "<uuid:4>"
      vlan_mode: "kAccess"
    }
    nic_list {
      connected: True
      mac_addr: "<mac:3>"
      model: "virtio"
      network_name: "vlan.20"
      network_type: "kNativeNetwork"
      network_uuid: "<uuid:3>"
      queues: 4
      type: "kNormalNic"
      uuid: "<uuid:5>"
      vlan_mode: "kAccess"
    }
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 4
  state: "kOff"
  uuid: "<uuid:6>"
}
<acropolis> vm.nic_get fooVM
<mac:1> {
  connected: True
  mac_addr: "<mac:1>"
  model: "virtio"
  network_name: "vlan.10"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  trunked_networks: 10
  trunked_networks: 20
  trunked_networks: 30
  type: "kNormalNic"
  uuid: "<uuid:2>"
  vlan_mode: "kTrunked"
}
<mac:2> {
  connected: False
  mac_addr: "<mac:2>"
  model: "e1000"
  network_name: "vlan.20"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:3>"
  type: "kNormalNic"
  uuid: "<uuid:4>"
  vlan_mode: "kAccess"
}
<mac:3> {
  connected: True
  mac_addr: "<mac:3>"
  model: "virtio"
  network_name: "vlan.20"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:3>"
  queues: 4
  type: "kNormalNic"
  uuid: "<uuid:5>"
  vlan_mode: "kAccess"
}

# Updates: network, VLAN mode, trunks (with update_vlan_trunk_info=true), link.
<acropolis> vm.nic_update fooVM 50:6b:8d:00:00:01 network=vlan.10 connected=true
NicUpdate: complete
<acropolis> vm.nic_update fooVM 50:6b:8d:00:00:01 vlan_mode=kTrunked trunked_networks=40,50 update_vlan_trunk_info=true
NicUpdate: complete
<acropolis> vm.nic_update fooVM 50:6b:8d:00:00:01 vlan_mode=kAccess
NicUpdate: complete
<acropolis> vm.nic_get fooVM
<mac:1> {
  connected: True
  mac_addr: "<mac:1>"
  model: "virtio"
  network_name: "vlan.10"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  trunked_networks: 10
  trunked_networks: 20
  trunked_networks: 30
  type: "kNormalNic"
  uuid: "<uuid:2>"
  vlan_mode: "kTrunked"
}
<mac:2> {
  connected: True
  mac_addr: "<mac:2>"
  model: "e1000"
  network_name: "vlan.10"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  type: "kNormalNic"
  uuid: "<uuid:4>"
  vlan_mode: "kAccess"
}
<mac:3> {
  connected: True
  mac_addr: "<mac:3>"
  model: "virtio"
  network_name: "vlan.20"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:3>"
  queues: 4
  type: "kNormalNic"
  uuid: "<uuid:5>"
  vlan_mode: "kAccess"
}
<acropolis> vm.on fooVM
fooVM: complete
<acropolis> vm.nic_delete fooVM 50:6b:8d:00:00:01
NicDelete: complete
<acropolis> vm.nic_get fooVM
<mac:1> {
  connected: True
  mac_addr: "<mac:1>"
  model: "virtio"
  network_name: "vlan.10"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  trunked_networks: 10
  trunked_networks: 20
  trunked_networks: 30
  type: "kNormalNic"
  uuid: "<uuid:2>"
  vlan_mode: "kTrunked"
}
<mac:3> {
  connected: True
  mac_addr: "<mac:3>"
  model: "virtio"
  network_name: "vlan.20"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:3>"
  queues: 4
  type: "kNormalNic"
  uuid: "<uuid:5>"
  vlan_mode: "kAccess"
}

# Errors: one line each; nothing changes.
<acropolis> vm.nic_create fooVM network=vlan.10 vlan_mode=kTrunked
Error: vlan_mode=kTrunked needs trunked_networks (the VLAN ids the NIC carries tagged), e.g. trunked_networks=10,20,30
[exit 2]
<acropolis> vm.nic_create fooVM network=vlan.10 trunked_networks=20
Error: trunked_networks needs vlan_mode=kTrunked
[exit 2]
<acropolis> vm.nic_create fooVM network=vlan.10 vlan_mode=kTrunked trunked_networks=10,5000
Error: Bad value for trunked_networks: 5000 is above the maximum 4094 (column 76)
[exit 2]
<acropolis> vm.nic_create fooVM network=vlan.10 vlan_mode=kTrunk
Error: Bad value for vlan_mode: 'kTrunk' is not one of kAccess, kTrunked (did you mean kTrunked?) (column 47)
[exit 2]
<acropolis> vm.nic_create fooVM network=vlan.1
Error: Unknown name: vlan.1 (did you mean vlan.10?)
[exit 1]
<acropolis> vm.nic_create fooVM
Error: Missing argument: network (a NIC other than type=kNetworkFunctionNic is on a network)
[exit 2]
<acropolis> vm.nic_create fooVM network=vlan.10 mac=50:6b:8d:zz:00:01
Error: Bad value for mac: '50:6b:8d:zz:00:01' is not a MAC address like <mac:4> (column 41)
[exit 2]
<acropolis> vm.nic_create fooVM network=vlan.10 model=e1000 queues=2
Error: queues needs model=virtio (not e1000)
[exit 2]
<acropolis> vm.nic_create fooVM network=vlan.10 request_ip=true
Error: request_ip needs IP address management: vlan.10 is an unmanaged network (made without ip_config=)
[exit 2]
<acropolis> vm.nic_create barVM network=vlan.10
Error: Unknown name: barVM (column 15)
[exit 1]
<acropolis> vm.nic_update fooVM 50:6b:8d:00:00:09 connected=false
Error: fooVM has no NIC <mac:5> (it has <mac:1>, <mac:3>)
[exit 1]
<acropolis> vm.nic_update fooVM 50:6b:8d:00:00:01
Error: vm.nic_update: nothing to change (give network, vlan_mode, trunked_networks, connected, ip or queues)
[exit 2]
<acropolis> vm.nic_delete fooVM 50:6b:8d:00:00:01
Error: fooVM has no NIC <mac:2> (it has <mac:1>, <mac:3>)
[exit 1]
<acropolis> vm.nic_delete fooVM
Error: Missing argument: mac (vm.nic_delete vm mac)
[exit 2]
<acropolis> vm.nic_get fooVM
<mac:1> {
  connected: True
  mac_addr: "<mac:1>"
  model: "virtio"
  network_name: "vlan.10"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  trunked_networks: 10
  trunked_networks: 20
  trunked_networks: 30
  type: "kNormalNic"
  uuid: "<uuid:2>"
  vlan_mode: "kTrunked"
}
<mac:3> {
  connected: True
  mac_addr: "<mac:3>"
  model: "virtio"
  network_name: "vlan.20"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:3>"
  queues: 4
  type: "kNormalNic"
  uuid: "<uuid:5>"
  vlan_mode: "kAccess"
}
