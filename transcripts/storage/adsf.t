# vm.disk_create clone_from_adsf_file=/CONTAINER/path: a qcow2 copy of a file
# inside a container, as AHV's ADSF paths name it. The sandbox's containers hold
# their volumes as files, so a disk's file can be named by its vmdisk UUID.
<acropolis> vm.create src memory=64M
src: complete
<acropolis> vm.disk_create src create_size=3G
DiskCreate: complete
<acropolis> vm.disk_get src disk_addr=scsi.0
scsi.0 {
  addr {
    bus: "scsi"
    index: 0
  }
  container_id: 2759627033
  container_uuid: "<uuid:1>"
  device_uuid: "<uuid:2>"
  vmdisk_size: 3221225472
  vmdisk_uuid: "<uuid:3>"
}
<acropolis> container.create gold
gold: complete
<acropolis> vm.create dst memory=64M
dst: complete
<acropolis> vm.disk_create dst clone_from_adsf_file=/default-container/acli-vmdisk-<uuid:3>.qcow2
DiskCreate: complete
<acropolis> vm.disk_create dst clone_from_adsf_file=/default-container/acli-vmdisk-<uuid:3>.qcow2 container=gold bus=pci index=2
DiskCreate: complete
<acropolis> -o json vm.disk_get dst
{"data": {"<uuid:4>": {"addr": {"bus": "scsi", "index": 0}, "container_id": 2759627033, "container_uuid": "<uuid:1>", "device_uuid": "<uuid:5>", "vmdisk_size": 3221225472, "vmdisk_uuid": "<uuid:4>"}, "<uuid:6>": {"addr": {"bus": "pci", "index": 2}, "container_id": 1202265425, "container_uuid": "<uuid:7>", "device_uuid": "<uuid:8>", "vmdisk_size": 3221225472, "vmdisk_uuid": "<uuid:6>"}}, "error": null, "status": 0}
<acropolis> container.get gold
gold {
  active: True
  capacity_bytes: 107374182400
  free_bytes: 107373985744
  name: "gold"
  num_volumes: 1
  path: "/sandbox/containers/gold"
  provisioned_bytes: 3221225472
  type: "dir"
  used_bytes: 196656
  uuid: "<uuid:7>"
}

# Refused: what is not a file inside the container (links and other kinds of file
# are refused on a real host, where containers are directories), and a file that
# reads another file.
<acropolis> vm.disk_create dst clone_from_adsf_file=/default-container/../gold/x.qcow2
Error: Bad value for clone_from_adsf_file: '/default-container/../gold/x.qcow2' holds '.' or '..'; an ADSF path names a file by its place inside the container
[exit 2]
<acropolis> vm.disk_create dst clone_from_adsf_file=/default-container/./x.qcow2
Error: Bad value for clone_from_adsf_file: '/default-container/./x.qcow2' holds '.' or '..'; an ADSF path names a file by its place inside the container
[exit 2]
<acropolis> vm.disk_create dst clone_from_adsf_file=default-container/x.qcow2
Error: Bad value for clone_from_adsf_file: 'default-container/x.qcow2' is not an ADSF path like /default-container/dir/disk.qcow2
[exit 2]
<acropolis> vm.disk_create dst clone_from_adsf_file=/default-container
Error: Bad value for clone_from_adsf_file: '/default-container' names a container but no file in it
[exit 2]
<acropolis> vm.disk_create dst clone_from_adsf_file=/default-container/missing.qcow2
Error: container default-container has no file missing.qcow2
[exit 1]
<acropolis> vm.disk_create dst clone_from_adsf_file=/nowhere/x.qcow2
Error: Unknown name: nowhere
[exit 1]
<acropolis> image.create tiny source_url=<sandbox>/media/tiny.qcow2
tiny: pending
tiny: complete
<acropolis> vm.disk_create src clone_from_image=tiny
DiskCreate: complete
<acropolis> vm.disk_get src disk_addr=scsi.1
scsi.1 {
  addr {
    bus: "scsi"
    index: 1
  }
  container_id: 2759627033
  container_uuid: "<uuid:1>"
  device_uuid: "<uuid:9>"
  source_vmdisk_uuid: "<uuid:10>"
  vmdisk_size: 1073741824
  vmdisk_uuid: "<uuid:11>"
}
# an overlay on an image reads the image's file: refused (clone_from_vmdisk copies it);
# the image's own file holds its data, and can be copied
<acropolis> vm.disk_create dst clone_from_adsf_file=/default-container/acli-vmdisk-<uuid:11>.qcow2
Error: Bad value for clone_from_adsf_file: /default-container/acli-vmdisk-<uuid:11>.qcow2 is a qcow2 that reads a backing file; acli copies only a file that holds its own data (copy a VM's disk with clone_from_vmdisk)
[exit 2]
<acropolis> vm.disk_create dst clone_from_adsf_file=/default-container/acli-image-<uuid:10>.qcow2
DiskCreate: complete
<acropolis> vm.disk_create dst clone_from_adsf_file=/default-container/x.qcow2 create_size=1G
Error: give only one of create_size and clone_from_adsf_file
[exit 2]
<acropolis> vm.disk_create dst cdrom=true clone_from_adsf_file=/default-container/x.qcow2
Error: cdrom=true takes empty=true or clone_from_image=ISO, not create_size, clone_from_vmdisk or clone_from_adsf_file
[exit 2]
<acropolis> -o json vm.disk_create dst clone_from_adsf_file=/default-container/missing.qcow2
{"data": null, "error": "container default-container has no file missing.qcow2", "status": 1}
[exit 1]
<acropolis> vm.disk_list dst
Device bus  Device index
scsi        0
scsi        1
pci         2
