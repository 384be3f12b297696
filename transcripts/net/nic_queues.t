# virtio multiqueue: queues=N on vm.nic_create and vm.nic_update is the NIC's
# <driver queues='N'/>. QEMU sets the queues when the device starts, so a
# running VM's are not changed; other NIC models have one queue.
<acropolis> net.create vlan.10 vlan=10
vlan.10: complete
<acropolis> vm.create mq1 memory=64M
mq1: complete
<acropolis> vm.nic_create mq1 network=vlan.10 queues=2
NicCreate: complete
<acropolis> vm.nic_get mq1
<mac:1> {
  connected: True
  mac_addr: "<mac:1>"
  model: "virtio"
  network_name: "vlan.10"
  network_type: "kNativeNetwork"
  network_uuid: "<uuid:1>"
  queues: 2
  type: "kNormalNic"
  uuid: "<uuid:2>"
  vlan_mode: "kAccess"
}
<acropolis> vm.nic_update mq1 <mac:1> queues=4
NicUpdate: complete
<acropolis> -o json vm.nic_get mq1
{"data": {"<mac:1>": {"mac_addr": "<mac:1>", "network_name": "vlan.10", "network_uuid": "<uuid:1>", "network_type": "kNativeNetwork", "type": "kNormalNic", "uuid": "<uuid:2>", "vlan_mode": "kAccess", "connected": true, "model": "virtio", "queues": 4}}, "error": null, "status": 0}
<acropolis> vm.on mq1
mq1: complete
<acropolis> vm.nic_update mq1 <mac:1> queues=8
Error: VM is on; power it off to change queues
[exit 1]
<acropolis> vm.off mq1
mq1: complete
<acropolis> vm.nic_update mq1 <mac:1> queues=300
Error: Bad value for queues: 300 is above the maximum 256 (column 44)
[exit 2]
<acropolis> vm.nic_create mq1 network=vlan.10 model=e1000 queues=2
Error: queues needs model=virtio (not e1000)
[exit 2]
