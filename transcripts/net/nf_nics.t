# Network-function (service-chain) NICs are ports on the chain bridge br.nf,
# not on a network; acli makes br.nf with the first one. The kind is the
# NIC's virtualport profileid, which libvirt writes on the OVS port as
# external_ids:port-profile.
<acropolis> vm.create fw1 memory=64M
fw1: complete
<acropolis> vm.nic_create fw1 type=kNetworkFunctionNic network_function_nic_type=kIngress
NicCreate: complete
<acropolis> vm.nic_create fw1 type=kNetworkFunctionNic network_function_nic_type=kEgress
NicCreate: complete
<acropolis> vm.get fw1
fw1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "fw1"
    nic_list {
      connected: True
      mac_addr: "<mac:1>"
      model: "virtio"
      network_function_nic_type: "kIngress"
      type: "kNetworkFunctionNic"
      uuid: "<uuid:1>"
    }
    nic_list {
      connected: True
      mac_addr: "<mac:2>"
      model: "virtio"
      network_function_nic_type: "kEgress"
      type: "kNetworkFunctionNic"
      uuid: "<uuid:2>"
    }
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 3
  state: "kOff"
  uuid: "<uuid:3>"
}
<acropolis> -o json vm.nic_get fw1
{"data": {"<mac:1>": {"mac_addr": "<mac:1>", "network_function_nic_type": "kIngress", "type": "kNetworkFunctionNic", "uuid": "<uuid:1>", "connected": true, "model": "virtio"}, "<mac:2>": {"mac_addr": "<mac:2>", "network_function_nic_type": "kEgress", "type": "kNetworkFunctionNic", "uuid": "<uuid:2>", "connected": true, "model": "virtio"}}, "error": null, "status": 0}
<acropolis> vm.on fw1
fw1: complete
<acropolis> vm.nic_update fw1 <mac:1> connected=false
NicUpdate: complete
# What does not go with it is one line, and nothing changes.
<acropolis> net.create vlan.10 vlan=10
vlan.10: complete
<acropolis> vm.nic_update fw1 <mac:1> network=vlan.10
Error: a network-function NIC is on the chain bridge, with no network, VLAN or address: only connected and queues change
[exit 2]
<acropolis> vm.nic_create fw1 type=kNetworkFunctionNic
Error: type=kNetworkFunctionNic needs network_function_nic_type=kIngress|kEgress|kTap
[exit 2]
<acropolis> vm.nic_create fw1 type=kNetworkFunctionNic network_function_nic_type=kTap network=vlan.10
Error: network does not go with type=kNetworkFunctionNic: the NIC is on the network-function bridge, with no network, VLAN or address
[exit 2]
<acropolis> vm.nic_create fw1 type=kNetworkFunctionNic network_function_nic_type=kMirror
Error: Bad value for network_function_nic_type: 'kMirror' is not one of kIngress, kEgress, kTap (column 70)
[exit 2]
<acropolis> vm.nic_create fw1 network=vlan.10 network_function_nic_type=kTap
Error: network_function_nic_type needs type=kNetworkFunctionNic
[exit 2]
<acropolis> vm.nic_create fw1
Error: Missing argument: network (a NIC other than type=kNetworkFunctionNic is on a network)
[exit 2]
<acropolis> vm.nic_get fw1
<mac:1> {
  connected: False
  mac_addr: "<mac:1>"
  model: "virtio"
  network_function_nic_type: "kIngress"
  type: "kNetworkFunctionNic"
  uuid: "<uuid:1>"
}
<mac:2> {
  connected: True
  mac_addr: "<mac:2>"
  model: "virtio"
  network_function_nic_type: "kEgress"
  type: "kNetworkFunctionNic"
  uuid: "<uuid:2>"
}
