# Disks are qcow2 volumes in a container; bus and index are assigned as AHV
# does: disks on scsi, CD-ROMs on ide (sata on q35), the lowest free index.
<acropolis> vm.create v1 memory=64M
v1: complete
<acropolis> vm.disk_create v1 create_size=10G
DiskCreate: complete
<acropolis> vm.disk_create v1 create_size=20G bus=scsi index=4
DiskCreate: complete
<acropolis> vm.disk_create v1 create_size=1G bus=pci
DiskCreate: complete
<acropolis> vm.disk_create v1 create_size=1G bus=sata
DiskCreate: complete
<acropolis> vm.disk_create v1 cdrom=true empty=true
DiskCreate: complete
<acropolis> vm.disk_list v1
Device bus  Device index
scsi        0
scsi        4
ide         0
sata        0
pci         0
<acropolis> vm.disk_get v1 disk_addr=scsi.4
scsi.4 {
  addr {
    bus: "scsi"
    index: 4
  }
  container_id: 2759627033
  container_uuid: "<uuid:1>"
  device_uuid: "<uuid:2>"
  vmdisk_size: 21474836480
  vmdisk_uuid: "<uuid:3>"
}
<acropolis> vm.disk_get v1 disk_addr=ide.0
ide.0 {
  addr {
    bus: "ide"
    index: 0
  }
  cdrom: True
  device_uuid: "<uuid:4>"
  empty: True
}
<acropolis> -o json vm.disk_list v1
{"data": [{"bus": "scsi", "index": 0}, {"bus": "scsi", "index": 4}, {"bus": "ide", "index": 0}, {"bus": "sata", "index": 0}, {"bus": "pci", "index": 0}], "error": null, "status": 0}

# A copy of another VM's disk.
<acropolis> vm.create v2 memory=64M
v2: complete
<acropolis> vm.disk_create v2 clone_from_vmdisk=vm:v1:scsi.4
DiskCreate: pending
DiskCreate: complete
<acropolis> vm.disk_get v2 disk_addr=scsi.0
scsi.0 {
  addr {
    bus: "scsi"
    index: 0
  }
  container_id: 2759627033
  container_uuid: "<uuid:1>"
  device_uuid: "<uuid:5>"
  vmdisk_size: 21474836480
  vmdisk_uuid: "<uuid:6>"
}

# Grow, never shrink.
<acropolis> vm.disk_update v1 disk_addr=scsi.0 new_size=12G
DiskUpdate: complete
<acropolis> vm.disk_get v1 disk_addr=scsi.0
scsi.0 {
  addr {
    bus: "scsi"
    index: 0
  }
  container_id: 2759627033
  container_uuid: "<uuid:1>"
  device_uuid: "<uuid:7>"
  vmdisk_size: 12884901888
  vmdisk_uuid: "<uuid:8>"
}
<acropolis> vm.disk_update v1 disk_addr=scsi.0 new_size=5G
Error: Bad value for new_size: 5368709120 bytes is smaller than the disk (12884901888 bytes); disks can only grow
[exit 2]
<acropolis> vm.disk_update v1 disk_addr=scsi.0
Error: vm.disk_update: nothing to change (give new_size, or for a CD-ROM clone_from_image=ISO or empty=true)
[exit 2]
<acropolis> vm.disk_update v1 disk_addr=ide.0 new_size=5G
Error: Bad value for new_size: ide.0 is a CD-ROM
[exit 2]

# Deleting asks first; with no terminal to ask, -y is needed.
<acropolis> vm.disk_delete v1 disk_addr=scsi.4
Error: Delete existing disk: confirmation needed; add -y (no terminal to ask)
[exit 1]
<acropolis> -y vm.disk_delete v1 disk_addr=scsi.4
DiskDelete: complete
<acropolis> vm.disk_list v1
Device bus  Device index
scsi        0
ide         0
sata        0
pci         0
<acropolis> -y vm.disk_delete v1 disk_addr=scsi.4
Error: v1 has no disk at scsi.4
[exit 1]

# Bad input changes nothing.
<acropolis> vm.disk_create v1 create_size=1G bus=scsi index=0
Error: v1 already has a disk at scsi.0
[exit 1]
<acropolis> vm.disk_create v1 create_size=1G bus=ide index=7
Error: Bad value for index: ide indexes go from 0 to 3
[exit 2]
<acropolis> vm.disk_create v1 create_size=1G bus=nvme
Error: Bad value for bus: 'nvme' is not one of scsi, ide, sata, pci (column 38)
[exit 2]
<acropolis> vm.disk_create v1 create_size=10X
Error: Bad value for create_size: '10X' is not a size (use a number and K, M, G or T, e.g. 2G) (column 31)
[exit 2]
<acropolis> vm.disk_create v1
Error: vm.disk_create needs create_size, clone_from_image, clone_from_vmdisk or clone_from_adsf_file
[exit 2]
<acropolis> vm.disk_create v1 create_size=1G clone_from_vmdisk=vm:v2:scsi.0
Error: give only one of create_size and clone_from_vmdisk
[exit 2]
<acropolis> vm.disk_create v1 empty=true
Error: empty=true is for CD-ROMs; add cdrom=true
[exit 2]
<acropolis> vm.disk_create v1 cdrom=true
Error: cdrom=true needs empty=true or clone_from_image=ISO
[exit 2]
<acropolis> vm.disk_create v1 cdrom=true create_size=1G
Error: cdrom=true takes empty=true or clone_from_image=ISO, not create_size, clone_from_vmdisk or clone_from_adsf_file
[exit 2]
<acropolis> vm.disk_create v1 create_size=1G container=nowhere
Error: Unknown name: nowhere
[exit 1]
<acropolis> vm.disk_create v1 clone_from_image=nothing
Error: Unknown name: nothing
[exit 1]
<acropolis> vm.disk_create v1 clone_from_vmdisk=v2:scsi.0
Error: Bad value for clone_from_vmdisk: 'v2:scsi.0' is not vm:VMNAME:bus.index or a vmdisk UUID
[exit 2]
<acropolis> vm.disk_create v1 clone_from_vmdisk=vm:v2:scsi.9
Error: v2 has no disk at scsi.9
[exit 1]
<acropolis> vm.disk_create v1 clone_from_vmdisk=vm:v1:ide.0
Error: Bad value for clone_from_vmdisk: ide.0 of v1 is a CD-ROM
[exit 2]
<acropolis> vm.disk_create ghost create_size=1G
Error: Unknown name: ghost (column 16)
[exit 1]
<acropolis> vm.disk_get v1 disk_addr=scsi
Error: Bad value for disk_addr: 'scsi' is not a disk address like scsi.0 (bus scsi, ide, sata, pci)
[exit 2]
<acropolis> vm.disk_get v1 disk_addr=scsi.9
Error: v1 has no disk at scsi.9
[exit 1]
<acropolis> vm.disk_delete v1
Error: Missing argument: disk_addr (vm.disk_delete vm disk_addr=BUS.INDEX)
[exit 2]
<acropolis> vm.disk_list v1
Device bus  Device index
scsi        0
ide         0
sata        0
pci         0

# q35 machines have no IDE bus: their CD-ROMs go on sata.
<acropolis> vm.create q1 memory=64M machine_type=q35
q1: complete
<acropolis> vm.disk_create q1 cdrom=true empty=true
DiskCreate: complete
<acropolis> vm.disk_create q1 create_size=1G bus=ide
Error: Bad value for bus: q35 VMs have no IDE bus; use bus=sata
[exit 2]
<acropolis> vm.disk_list q1
Device bus  Device index
sata        0

# A running VM: SCSI and PCI disks hot-plug; IDE and SATA do not.
<acropolis> vm.on v1
v1: complete
<acropolis> vm.disk_create v1 create_size=1G
DiskCreate: complete
<acropolis> vm.disk_create v1 create_size=1G bus=ide
Error: v1 is on and QEMU cannot hot-plug IDE devices while it runs; power the VM off first or use bus=scsi
[exit 1]
<acropolis> -y vm.disk_delete v1 disk_addr=sata.0
Error: v1 is on and QEMU cannot unplug SATA devices while it runs; power the VM off first
[exit 1]
<acropolis> -y vm.disk_delete v1 disk_addr=scsi.1
DiskDelete: complete
<acropolis> vm.disk_list v1
Device bus  Device index
scsi        0
ide         0
sata        0
pci         0

# vm.get shows the disks too, sizes in bytes.
<acropolis> vm.get v2
v2 {
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
      container_uuid: "<uuid:1>"
      device_uuid: "<uuid:5>"
      vmdisk_size: 21474836480
      vmdisk_uuid: "<uuid:6>"
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "v2"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 2
  state: "kOff"
  uuid: "<uuid:9>"
}
