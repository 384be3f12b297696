# vm.update_container: a VM's disks copied to another container, the VM pointed
# at the copies, the old volumes removed; each disk keeps its vmdisk_uuid. CD-ROMs
# keep their ISO image.
<acropolis> container.create gold
gold: complete
<acropolis> image.create cd source_url=<sandbox>/media/tiny.iso
cd: pending
cd: complete
<acropolis> vm.create v1 memory=64M
v1: complete
<acropolis> vm.disk_create v1 create_size=10G
DiskCreate: complete
<acropolis> vm.disk_create v1 create_size=2G bus=pci
DiskCreate: complete
<acropolis> vm.disk_create v1 cdrom=true clone_from_image=cd
DiskCreate: complete
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Provisioned (bytes)  Used (bytes)  Path                                   Container UUID
default-container  107374182400          107373723456        12884967424          458944        /sandbox/containers/default-container  <uuid:1>
gold               107374182400          107374182400        0                    0             /sandbox/containers/gold               <uuid:2>
<acropolis> vm.update_container v1 container=gold
v1: complete
<acropolis> vm.disk_get v1
scsi.0 {
  addr {
    bus: "scsi"
    index: 0
  }
  container_id: 1202265425
  container_uuid: "<uuid:2>"
  device_uuid: "<uuid:3>"
  vmdisk_size: 10737418240
  vmdisk_uuid: "<uuid:4>"
}
ide.0 {
  addr {
    bus: "ide"
    index: 0
  }
  cdrom: True
  container_id: 2759627033
  container_uuid: "<uuid:1>"
  device_uuid: "<uuid:5>"
  empty: False
  source_vmdisk_uuid: "<uuid:6>"
  vmdisk_size: 65536
  vmdisk_uuid: "<uuid:6>"
}
pci.0 {
  addr {
    bus: "pci"
    index: 0
  }
  container_id: 1202265425
  container_uuid: "<uuid:2>"
  device_uuid: "<uuid:7>"
  vmdisk_size: 2147483648
  vmdisk_uuid: "<uuid:8>"
}
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Provisioned (bytes)  Used (bytes)  Path                                   Container UUID
default-container  107374182400          107374116864        65536                65536         /sandbox/containers/default-container  <uuid:1>
gold               107374182400          107373788992        12884901888          393408        /sandbox/containers/gold               <uuid:2>
<acropolis> container.list_orphans
Volume name  Capacity (bytes)  Path
# already there: nothing to copy
<acropolis> vm.update_container v1 container=gold
v1: complete
<acropolis> -o json vm.update_container v1 container=default-container
{"data": [{"label": "v1", "status": "complete", "uuid": "<uuid:9>"}], "error": null, "status": 0}
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Provisioned (bytes)  Used (bytes)  Path                                   Container UUID
default-container  107374182400          107373723456        12884967424          458944        /sandbox/containers/default-container  <uuid:1>
gold               107374182400          107374182400        0                    0             /sandbox/containers/gold               <uuid:2>

# Refused, changing nothing: a running VM (its disks change while copied), a VM
# with snapshots (they live inside its disks), an unknown container.
<acropolis> vm.on v1
v1: complete
<acropolis> vm.update_container v1 container=gold
Error: v1 is on; power it off to move its disks (a running VM's disks change while they are copied)
[exit 1]
<acropolis> vm.off v1
v1: complete
<acropolis> vm.snapshot_create v1 snapshot_name_list=s1
SnapshotCreate: pending
SnapshotCreate: complete
<acropolis> vm.update_container v1 container=gold
Error: v1 has 1 snapshots, kept inside its disks, which a copy leaves behind; delete them first (snapshot.delete)
[exit 1]
<acropolis> vm.update_container v1 container=nowhere
Error: Unknown name: nowhere
[exit 1]
<acropolis> vm.update_container v1
Error: Missing argument: container (vm.update_container vm container=CONTAINER)
[exit 2]
<acropolis> vm.update_container nobody container=gold
Error: Unknown name: nobody
[exit 1]
<acropolis> vm.disk_get v1 disk_addr=scsi.0
scsi.0 {
  addr {
    bus: "scsi"
    index: 0
  }
  container_id: 2759627033
  container_uuid: "<uuid:1>"
  device_uuid: "<uuid:3>"
  vmdisk_size: 10737418240
  vmdisk_uuid: "<uuid:4>"
}
