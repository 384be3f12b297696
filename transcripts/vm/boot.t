# vm.update_boot_device: the VM boots from that disk, CD-ROM or NIC (PXE)
# first, then by boot_device_order (AHV's default kCdrom,kDisk,kNetwork).
# In libvirt each device gets <boot order='N'/>; vm.get shows aCLI's boot block.
<acropolis> net.create vlan.10 vlan=10
vlan.10: complete
<acropolis> vm.create pxe1 memory=64M
pxe1: complete
<acropolis> vm.disk_create pxe1 create_size=1G
DiskCreate: complete
<acropolis> vm.disk_create pxe1 cdrom=true empty=true
DiskCreate: complete
<acropolis> vm.nic_create pxe1 network=vlan.10
NicCreate: complete
<acropolis> vm.update_boot_device pxe1 disk_addr=ide.0
pxe1: complete
<acropolis> vm.get pxe1
pxe1 {
  config {
    allow_live_migrate: True
    boot {
      boot_device {
        disk_addr {
          bus: "ide"
          index: 0
        }
      }
      boot_device_order: "kCdrom"
      boot_device_order: "kDisk"
      boot_device_order: "kNetwork"
      uefi_boot: False
    }
    disk_list {
      addr {
        bus: "scsi"
        index: 0
      }
      container_id: 2759627033
      container_uuid: "<uuid:1>"
      device_uuid: "<uuid:2>"
      vmdisk_size: 1073741824
      vmdisk_uuid: "<uuid:3>"
    }
    disk_list {
      addr {
        bus: "ide"
        index: 0
      }
      cdrom: True
      device_uuid: "<uuid:4>"
      empty: True
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "pxe1"
    nic_list {
      connected: True
      mac_addr: "<mac:1>"
      model: "virtio"
      network_name: "vlan.10"
      network_type: "kNativeNetwork"
      network_uuid: "<uuid:5>"
      type: "kNormalNic"
      uuid: "<uuid:6>"
      vlan_mode: "kAccess"
    }
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 5
  state: "kOff"
  uuid: "<uuid:7>"
}
<acropolis> vm.update_boot_device pxe1 mac_addr=<mac:1> boot_device_order=kDisk,kCdrom
pxe1: complete
$ acli vm.get pxe1 | grep -A6 "boot {"
    boot {
      boot_device {
        mac_addr: "<mac:1>"
      }
      boot_device_order: "kDisk"
      boot_device_order: "kCdrom"
      uefi_boot: False
<acropolis> -o json vm.update_boot_device pxe1 disk_addr=scsi.0
{"data": [{"label": "pxe1", "status": "complete", "uuid": "<uuid:7>"}], "error": null, "status": 0}
$ acli -o json vm.get pxe1 | grep -o '"boot": {[^}]*}[^}]*}[^}]*}'
"boot": {"boot_device": {"disk_addr": {"bus": "scsi", "index": 0}}, "boot_device_order": ["kDisk", "kCdrom"], "uefi_boot": false}
# Without a device, the order is by class (<os><boot dev=.../>).
<acropolis> vm.create pxe2 memory=64M
pxe2: complete
<acropolis> vm.update_boot_device pxe2 boot_device_order=kNetwork,kDisk
pxe2: complete
$ acli vm.get pxe2 | grep -A4 "boot {"
    boot {
      boot_device_order: "kNetwork"
      boot_device_order: "kDisk"
      uefi_boot: False
    }
# A bad or missing address is one line, and nothing changes.
<acropolis> vm.update_boot_device pxe1 disk_addr=scsi.4
Error: pxe1 has no disk at scsi.4
[exit 1]
<acropolis> vm.update_boot_device pxe1 disk_addr=usb.0
Error: Bad value for disk_addr: 'usb.0' is not a disk address like scsi.0 (bus scsi, ide, sata, pci)
[exit 2]
<acropolis> vm.update_boot_device pxe1 mac_addr=50:6b:8d:00:00:99
Error: pxe1 has no NIC <mac:2>
[exit 1]
<acropolis> vm.update_boot_device pxe1 disk_addr=scsi.0 mac_addr=<mac:1>
Error: give disk_addr or mac_addr, not both (one device boots first)
[exit 2]
<acropolis> vm.update_boot_device pxe1 boot_device_order=kFloppy
Error: Bad value for boot_device_order: 'kFloppy' is not one of kCdrom, kDisk, kNetwork (column 46)
[exit 2]
<acropolis> vm.update_boot_device pxe1
Error: vm.update_boot_device: nothing to change (give disk_addr, mac_addr or boot_device_order)
[exit 2]
