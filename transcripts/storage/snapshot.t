# Snapshots are libvirt internal snapshots of a VM's disks (and memory, when on).
<acropolis> vm.create v1 memory=64M
v1: complete
<acropolis> vm.disk_create v1 create_size=1G
DiskCreate: complete
<acropolis> vm.snapshot_create v1 snapshot_name_list=before,"after upgrade"
SnapshotCreate: pending
SnapshotCreate: complete
SnapshotCreate: complete
<acropolis> vm.snapshot_list v1
Snapshot Name  Snapshot ID  Creation Time
before         <uuid:1>     <time>
after upgrade  <uuid:2>     <time>
<acropolis> snapshot.list
Snapshot Name  Snapshot ID  Creation Time  VM Name
before         <uuid:1>     <time>         v1
after upgrade  <uuid:2>     <time>         v1
<acropolis> snapshot.get before
before {
  creation_time: "<time>"
  name: "before"
  uuid: "<uuid:1>"
  vm_name: "v1"
  vm_state: "kOff"
  vm_uuid: "<uuid:3>"
}
<acropolis> -o json vm.snapshot_list v1
{"data": [{"name": "before", "uuid": "<uuid:1>", "creation_time": "<time>"}, {"name": "after upgrade", "uuid": "<uuid:2>", "creation_time": "<time>"}], "error": null, "status": 0}

# Restore brings back the settings and disks of the snapshot.
<acropolis> vm.update v1 memory=128M
v1: complete
<acropolis> vm.restore v1 snapshot_name=before
v1: complete
<acropolis> vm.get v1
v1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    disk_list {
      addr {
        bus: "scsi"
        index: 0
      }
      container_id: 2759627033
      container_uuid: "<uuid:4>"
      device_uuid: "<uuid:5>"
      vmdisk_size: 1073741824
      vmdisk_uuid: "<uuid:6>"
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "v1"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 4
  state: "kOff"
  uuid: "<uuid:3>"
}

# A clone from a snapshot gets its own copies of the disks.
<acropolis> vm.clone c1,c2 clone_from_snapshot=before memory=96M
c1: complete
c2: complete
<acropolis> vm.disk_list c1
Device bus  Device index
scsi        0
<acropolis> vm.get c1
c1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    disk_list {
      addr {
        bus: "scsi"
        index: 0
      }
      container_id: 2759627033
      container_uuid: "<uuid:4>"
      device_uuid: "<uuid:7>"
      vmdisk_size: 1073741824
      vmdisk_uuid: "<uuid:8>"
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 96
    memory_mb: 96
    name: "c1"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 1
  state: "kOff"
  uuid: "<uuid:9>"
}

# Names are per VM: a name two VMs share is given by its ID.
<acropolis> vm.snapshot_create c1 snapshot_name_list=before
SnapshotCreate: pending
SnapshotCreate: complete
<acropolis> snapshot.get before
Error: 2 snapshots are named before (c1, v1); give its ID (column 14)
[exit 1]
<acropolis> snapshot.get <uuid:1>
before {
  creation_time: "<time>"
  name: "before"
  uuid: "<uuid:1>"
  vm_name: "v1"
  vm_state: "kOff"
  vm_uuid: "<uuid:3>"
}

# Deleting asks first.
<acropolis> snapshot.delete before
Error: 2 snapshots are named before (c1, v1); give its ID (column 17)
[exit 1]
<acropolis> snapshot.delete <uuid:1>
Error: Delete 1 snapshots: confirmation needed; add -y (no terminal to ask)
[exit 1]
<acropolis> -y snapshot.delete "after upgrade"
after upgrade: complete
<acropolis> vm.snapshot_list v1
Snapshot Name  Snapshot ID  Creation Time
before         <uuid:1>     <time>

# Errors.
<acropolis> vm.snapshot_create v1 snapshot_name_list=before
Error: v1 already has a snapshot named before
[exit 1]
<acropolis> vm.snapshot_create v1 snapshot_name_list=x,x
Error: Bad value for snapshot_name_list: 'x' is listed twice (column 44)
[exit 2]
# Names the real host's libvirt refuses are refused on every host, by acli.
<acropolis> vm.snapshot_create v1 snapshot_name_list=.hidden
Error: Bad value for snapshot_name_list: '.hidden' is not a valid snapshot name (1 to 64 printable characters, not starting with '.', no '/') (column 42)
[exit 2]
<acropolis> vm.snapshot_create v1 snapshot_name_list="a/b"
Error: Bad value for snapshot_name_list: 'a/b' is not a valid snapshot name (1 to 64 printable characters, not starting with '.', no '/') (column 42)
[exit 2]
<acropolis> vm.snapshot_create v1
Error: Missing argument: snapshot_name_list (vm.snapshot_create vm snapshot_name_list=STRING,...)
[exit 2]
<acropolis> vm.snapshot_create ghost snapshot_name_list=a
Error: Unknown name: ghost
[exit 1]
<acropolis> vm.restore v1 snapshot_name=nothing
Error: Unknown name: nothing
[exit 1]
<acropolis> vm.restore v1
Error: Missing argument: snapshot_name (vm.restore vm snapshot_name=SNAPSHOT)
[exit 2]
<acropolis> snapshot.get nothing
Error: Unknown name: nothing (column 14)
[exit 1]
<acropolis> snapshot.delete nothing*
Error: no snapshot matches nothing* (column 17)
[exit 1]
<acropolis> vm.clone c3 clone_from_snapshot=nothing
Error: Unknown name: nothing
[exit 1]
<acropolis> vm.clone c3
Error: Missing argument: clone_from_vm or clone_from_snapshot (vm.clone takes one)
[exit 2]
<acropolis> vm.clone c3 clone_from_vm=v1 clone_from_snapshot=before
Error: give clone_from_vm or clone_from_snapshot, not both
[exit 2]
<acropolis> vm.clone c1 clone_from_snapshot=<uuid:1>
Error: VM name already exists: c1
[exit 1]

# libvirt 9.0 cannot snapshot a VM that boots with UEFI.
<acropolis> vm.create u1 memory=64M uefi_boot=true
u1: complete
<acropolis> vm.snapshot_create u1 snapshot_name_list=s
Error: cannot snapshot u1: it boots with UEFI, and libvirt 9.0 takes only internal snapshots, which it cannot take of a VM with UEFI firmware (pflash NVRAM)
[exit 1]
<acropolis> snapshot.list
Snapshot Name  Snapshot ID  Creation Time  VM Name
before         <uuid:10>    <time>         c1
before         <uuid:1>     <time>         v1
