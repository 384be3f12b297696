# vm.get prints the fields scripts read, in aCLI's order, and nothing aCLI
# never prints. logical_timestamp counts the changes acli makes to a VM; it is
# kept in the VM's definition, so every acli process sees the same number.
<acropolis> net.create vlan.10 vlan=10
vlan.10: complete
<acropolis> vm.create ts1 memory=64M
ts1: complete
<acropolis> vm.get ts1
ts1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "ts1"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 1
  state: "kOff"
  uuid: "<uuid:1>"
}
<acropolis> vm.on ts1
ts1: complete
# A power action that finds the VM as asked changes nothing.
$ acli vm.on ts1; acli vm.get ts1 | grep logical_timestamp
ts1: complete
  logical_timestamp: 2
<acropolis> vm.off ts1
ts1: complete
<acropolis> vm.update ts1 description="db server"
ts1: complete
<acropolis> vm.disk_create ts1 create_size=1G
DiskCreate: complete
<acropolis> vm.disk_create ts1 cdrom=true empty=true
DiskCreate: complete
<acropolis> vm.nic_create ts1 network=vlan.10
NicCreate: complete
$ acli vm.get ts1 | grep logical_timestamp
  logical_timestamp: 7
# Taking a snapshot changes nothing of the VM; bringing one back does, and the
# number never goes back with the definition.
<acropolis> vm.snapshot_create ts1 snapshot_name_list=s1
SnapshotCreate: pending
SnapshotCreate: complete
<acropolis> vm.update ts1 memory=128M
ts1: complete
<acropolis> vm.restore ts1 snapshot_name=s1
ts1: complete
<acropolis> vm.get ts1
ts1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    description: "db server"
    disk_list {
      addr {
        bus: "scsi"
        index: 0
      }
      container_id: 2759627033
      container_uuid: "<uuid:2>"
      device_uuid: "<uuid:3>"
      vmdisk_size: 1073741824
      vmdisk_uuid: "<uuid:4>"
    }
    disk_list {
      addr {
        bus: "ide"
        index: 0
      }
      cdrom: True
      device_uuid: "<uuid:5>"
      empty: True
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "ts1"
    nic_list {
      connected: True
      mac_addr: "<mac:1>"
      model: "virtio"
      network_name: "vlan.10"
      network_type: "kNativeNetwork"
      network_uuid: "<uuid:6>"
      type: "kNormalNic"
      uuid: "<uuid:7>"
      vlan_mode: "kAccess"
    }
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 9
  state: "kOff"
  uuid: "<uuid:1>"
}
# A clone is a new VM: it starts at 1, with device UUIDs of its own.
<acropolis> vm.clone ts2 clone_from_vm=ts1
ts2: pending
ts2: complete
$ acli vm.get ts2 | grep -E 'logical_timestamp|device_uuid'
      device_uuid: "<uuid:8>"
      device_uuid: "<uuid:9>"
  logical_timestamp: 1
# snapshot.list prints the creation time in aCLI's form.
$ acli snapshot.list | grep -cE '^s1 +[0-9a-f-]{36}  (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day [A-Z][a-z]+ [0-9]{2} [0-9]{4}, [0-9]{2}:[0-9]{2}:[0-9]{2} [AP]M  ts1$'
1
<acropolis> snapshot.list
Snapshot Name  Snapshot ID  Creation Time  VM Name
s1             <uuid:10>    <time>         ts1
