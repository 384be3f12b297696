# vm.delete removes the volumes the VM owns and nothing else: not images,
# not another VM's disks. vm.clone gives each clone its own disks.
<acropolis> image.create tiny source_url=<sandbox>/media/tiny.qcow2
tiny: pending
tiny: complete
<acropolis> vm.create v1 memory=64M
v1: complete
<acropolis> vm.disk_create v1 clone_from_image=tiny
DiskCreate: complete
<acropolis> vm.disk_create v1 create_size=1G
DiskCreate: complete
<acropolis> vm.clone c[1..2] clone_from_vm=v1
c1: pending
c2: pending
c1: complete
c2: complete
<acropolis> container.get default-container
default-container {
  active: True
  capacity_bytes: 107374182400
  free_bytes: 107372806032
  name: "default-container"
  num_volumes: 7
  path: "/sandbox/containers/default-container"
  provisioned_bytes: 7516192768
  type: "dir"
  used_bytes: 1376368
  uuid: "<uuid:1>"
}
<acropolis> vm.disk_get c1 disk_addr=scsi.1
scsi.1 {
  addr {
    bus: "scsi"
    index: 1
  }
  container_id: 2759627033
  container_uuid: "<uuid:1>"
  device_uuid: "<uuid:2>"
  vmdisk_size: 1073741824
  vmdisk_uuid: "<uuid:3>"
}
<acropolis> vm.disk_get v1 disk_addr=scsi.1
scsi.1 {
  addr {
    bus: "scsi"
    index: 1
  }
  container_id: 2759627033
  container_uuid: "<uuid:1>"
  device_uuid: "<uuid:4>"
  vmdisk_size: 1073741824
  vmdisk_uuid: "<uuid:5>"
}
<acropolis> -y vm.delete v1
v1: complete
<acropolis> container.get default-container
default-container {
  active: True
  capacity_bytes: 107374182400
  free_bytes: 107373199280
  name: "default-container"
  num_volumes: 5
  path: "/sandbox/containers/default-container"
  provisioned_bytes: 5368709120
  type: "dir"
  used_bytes: 983120
  uuid: "<uuid:1>"
}
<acropolis> image.list
Image name  Image type  Image UUID
tiny        kDiskImage  <uuid:6>
<acropolis> vm.disk_list c2
Device bus  Device index
scsi        0
scsi        1
<acropolis> -y vm.delete c*
c1: complete
c2: complete
<acropolis> container.get default-container
default-container {
  active: True
  capacity_bytes: 107374182400
  free_bytes: 107373985776
  name: "default-container"
  num_volumes: 1
  path: "/sandbox/containers/default-container"
  provisioned_bytes: 1073741824
  type: "dir"
  used_bytes: 196624
  uuid: "<uuid:1>"
}
<acropolis> -y image.delete tiny
tiny: complete
<acropolis> container.get default-container
default-container {
  active: True
  capacity_bytes: 107374182400
  free_bytes: 107374182400
  name: "default-container"
  num_volumes: 0
  path: "/sandbox/containers/default-container"
  provisioned_bytes: 0
  type: "dir"
  used_bytes: 0
  uuid: "<uuid:1>"
}
