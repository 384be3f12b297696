# Volume groups: disks several VMs share. A VG is volumes in a container (a
# marker holding its name, raw disks); attached, each disk is a shareable SCSI disk.
<acropolis> vm.create db1,db2 memory=64M
db1: complete
db2: complete
<acropolis> vg.create data
data: complete
<acropolis> vg.disk_create data create_size=10G
VolumeGroupDiskCreate: complete
<acropolis> vg.disk_create data create_size=1T
VolumeGroupDiskCreate: complete
<acropolis> vg.attach_to_vm data db1
data: complete
<acropolis> vg.attach_to_vm data db2
data: complete
<acropolis> vg.list
Volume Group name  Volume Group UUID
data               <uuid:1>
<acropolis> vg.get data
data {
  attachment_list {
    vm_name: "db1"
    vm_uuid: "<uuid:2>"
  }
  attachment_list {
    vm_name: "db2"
    vm_uuid: "<uuid:3>"
  }
  container_name: "default-container"
  disk_list {
    container_id: 2759627033
    container_uuid: "<uuid:4>"
    index: 0
    vmdisk_size: 10737418240
    vmdisk_uuid: "<uuid:5>"
  }
  disk_list {
    container_id: 2759627033
    container_uuid: "<uuid:4>"
    index: 1
    vmdisk_size: 1099511627776
    vmdisk_uuid: "<uuid:6>"
  }
  name: "data"
  shared: True
  uuid: "<uuid:1>"
}
<acropolis> vm.disk_list db1
Device bus  Device index
scsi        0
scsi        1
# A disk added to the group reaches every VM that has it.
<acropolis> vg.disk_create data create_size=1G index=5
VolumeGroupDiskCreate: complete
<acropolis> vm.disk_list db2
Device bus  Device index
scsi        0
scsi        1
scsi        2
<acropolis> -o json vg.list
{"data": [{"name": "data", "uuid": "<uuid:1>"}], "error": null, "status": 0}
# Refusals change nothing.
<acropolis> vg.create data
Error: volume group already exists: data
[exit 1]
<acropolis> vg.create "bad name"
Error: Bad value for name: 'bad name' is not a valid name (letters, digits, _ . + -; at most 64)
[exit 2]
<acropolis> vg.get nothing
Error: Unknown name: nothing (column 8)
[exit 1]
<acropolis> vg.disk_create data create_size=1G index=5
Error: volume group data already has a disk at index 5
[exit 1]
<acropolis> vg.disk_create data
Error: Missing argument: create_size (vg.disk_create vg create_size=SIZE [container=CONTAINER] [index=INT[0..255]])
[exit 2]
<acropolis> vg.attach_to_vm data db1
Error: volume group data is already attached to db1
[exit 1]
<acropolis> vg.attach_to_vm data nobody
Error: Unknown name: nobody
[exit 1]
<acropolis> -y vg.delete data
Error: data: volume group data is attached to db1, db2; detach it first (vg.detach_from_vm)
[exit 1]
<acropolis> vg.delete data
Error: Delete 1 volume groups: confirmation needed; add -y (no terminal to ask)
[exit 1]
# A clone does not get the group; deleting a VM leaves the group's disks.
<acropolis> vm.clone db3 clone_from_vm=db1
db3: pending
db3: complete
<acropolis> vm.disk_list db3
Device bus  Device index
<acropolis> -y vm.delete db2
db2: complete
<acropolis> vg.update data name=cluster-data
cluster-data: complete
<acropolis> vg.detach_from_vm cluster-data db1
cluster-data: complete
<acropolis> vg.detach_from_vm cluster-data db1
Error: volume group cluster-data is not attached to db1
[exit 1]
<acropolis> vg.get cluster-data
cluster-data {
  container_name: "default-container"
  disk_list {
    container_id: 2759627033
    container_uuid: "<uuid:4>"
    index: 0
    vmdisk_size: 10737418240
    vmdisk_uuid: "<uuid:5>"
  }
  disk_list {
    container_id: 2759627033
    container_uuid: "<uuid:4>"
    index: 1
    vmdisk_size: 1099511627776
    vmdisk_uuid: "<uuid:6>"
  }
  disk_list {
    container_id: 2759627033
    container_uuid: "<uuid:4>"
    index: 5
    vmdisk_size: 1073741824
    vmdisk_uuid: "<uuid:7>"
  }
  name: "cluster-data"
  shared: True
  uuid: "<uuid:1>"
}
<acropolis> -y vg.delete cluster*
cluster-data: complete
<acropolis> vg.list
Volume Group name  Volume Group UUID
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Provisioned (bytes)  Used (bytes)  Path                                   Container UUID
default-container  107374182400          107374182400        0                    0             /sandbox/containers/default-container  <uuid:4>
