# Images are uploaded into a container. The sandbox starts with sample media
# in its directory; it reads the bytes but keeps only their size (see
# docs/storage.md).
<acropolis> image.create tiny source_url=<sandbox>/media/tiny.qcow2 annotation="a small disk"
tiny: pending
tiny: complete
<acropolis> image.create cd source_url=file://<sandbox>/media/tiny.iso
cd: pending
cd: complete
<acropolis> image.list
Image name  Image type  Image UUID
cd          kIsoImage   <uuid:1>
tiny        kDiskImage  <uuid:2>
<acropolis> image.get tiny
tiny {
  annotation: "a small disk"
  container_name: "default-container"
  container_uuid: "<uuid:3>"
  file_format: "qcow2"
  image_source {
    source_url: "<sandbox>/media/tiny.qcow2"
  }
  image_state: "kActive"
  image_type: "kDiskImage"
  name: "tiny"
  uuid: "<uuid:2>"
  vmdisk_size: 1073741824
  vmdisk_uuid: "<uuid:2>"
}
<acropolis> image.get cd
cd {
  container_name: "default-container"
  container_uuid: "<uuid:3>"
  file_format: "iso"
  image_source {
    source_url: "file://<sandbox>/media/tiny.iso"
  }
  image_state: "kActive"
  image_type: "kIsoImage"
  name: "cd"
  uuid: "<uuid:1>"
  vmdisk_size: 65536
  vmdisk_uuid: "<uuid:1>"
}
<acropolis> -o json image.list
{"data": [{"name": "cd", "image_type": "kIsoImage", "uuid": "<uuid:1>"}, {"name": "tiny", "image_type": "kDiskImage", "uuid": "<uuid:2>"}], "error": null, "status": 0}

<acropolis> image.update cd name=installer annotation="boot me" image_type=kIsoImage
installer: complete
<acropolis> image.get installer
installer {
  annotation: "boot me"
  container_name: "default-container"
  container_uuid: "<uuid:3>"
  file_format: "iso"
  image_source {
    source_url: "file://<sandbox>/media/tiny.iso"
  }
  image_state: "kActive"
  image_type: "kIsoImage"
  name: "installer"
  uuid: "<uuid:1>"
  vmdisk_size: 65536
  vmdisk_uuid: "<uuid:1>"
}
<acropolis> image.update installer
Error: image.update: nothing to change (give name, image_type or annotation)
[exit 2]
<acropolis> image.update tiny image_type=kIsoImage
Error: Bad value for image_type: a qcow2 image cannot be an ISO image
[exit 2]
<acropolis> image.update tiny name=installer
Error: image name already exists: installer
[exit 1]

# Disks cloned from an image are copy-on-write; ISOs go into CD-ROMs.
<acropolis> vm.create v1 memory=64M
v1: complete
<acropolis> vm.disk_create v1 clone_from_image=tiny
DiskCreate: complete
<acropolis> vm.disk_create v1 clone_from_image=tiny create_size=2G
DiskCreate: complete
<acropolis> vm.disk_create v1 clone_from_image=tiny create_size=512M
Error: Bad value for create_size: 536870912 bytes is smaller than image tiny (1073741824 bytes)
[exit 2]
<acropolis> vm.disk_create v1 clone_from_image=installer
Error: Bad value for clone_from_image: installer is an ISO image; add cdrom=true to attach it
[exit 2]
<acropolis> vm.disk_create v1 clone_from_image=installer cdrom=true
DiskCreate: complete
<acropolis> vm.disk_create v1 clone_from_image=tiny cdrom=true
Error: Bad value for clone_from_image: tiny is a disk image, not an ISO image
[exit 2]
<acropolis> vm.disk_get v1
scsi.0 {
  addr {
    bus: "scsi"
    index: 0
  }
  container_id: 2759627033
  container_uuid: "<uuid:3>"
  device_uuid: "<uuid:4>"
  source_vmdisk_uuid: "<uuid:2>"
  vmdisk_size: 1073741824
  vmdisk_uuid: "<uuid:5>"
}
scsi.1 {
  addr {
    bus: "scsi"
    index: 1
  }
  container_id: 2759627033
  container_uuid: "<uuid:3>"
  device_uuid: "<uuid:6>"
  source_vmdisk_uuid: "<uuid:2>"
  vmdisk_size: 2147483648
  vmdisk_uuid: "<uuid:7>"
}
ide.0 {
  addr {
    bus: "ide"
    index: 0
  }
  cdrom: True
  container_id: 2759627033
  container_uuid: "<uuid:3>"
  device_uuid: "<uuid:8>"
  empty: False
  source_vmdisk_uuid: "<uuid:1>"
  vmdisk_size: 65536
  vmdisk_uuid: "<uuid:1>"
}

# Eject and insert.
<acropolis> vm.disk_update v1 disk_addr=ide.0 empty=true
DiskUpdate: complete
<acropolis> vm.disk_get v1 disk_addr=ide.0
ide.0 {
  addr {
    bus: "ide"
    index: 0
  }
  cdrom: True
  device_uuid: "<uuid:8>"
  empty: True
}
<acropolis> vm.disk_update v1 disk_addr=ide.0 clone_from_image=installer
DiskUpdate: complete
<acropolis> vm.disk_update v1 disk_addr=ide.0 clone_from_image=tiny
Error: Bad value for clone_from_image: tiny is not an ISO image
[exit 2]
<acropolis> vm.disk_update v1 disk_addr=scsi.0 empty=true
Error: scsi.0 of v1 is a disk, not a CD-ROM: only new_size applies
[exit 2]

# An image in use is not deleted; deleting asks first.
<acropolis> image.delete tiny
Error: Delete 1 images: confirmation needed; add -y (no terminal to ask)
[exit 1]
<acropolis> -y image.delete tiny
Error: tiny: in use by v1 scsi.0, v1 scsi.1; delete those disks (or snapshots) first
[exit 1]
<acropolis> -y image.delete installer
Error: installer: in use by v1 ide.0; delete those disks (or snapshots) first
[exit 1]
<acropolis> -y vm.delete v1
v1: complete
<acropolis> -y image.delete tiny,installer
tiny: complete
installer: complete
<acropolis> image.list
Image name  Image type  Image UUID

# Bad sources leave nothing behind.
<acropolis> image.create x source_url=<sandbox>/media/missing.qcow2
Error: source_url: no such file: <sandbox>/media/missing.qcow2
[exit 1]
<acropolis> image.create x source_url=ftp://example.invalid/x.img
Error: Bad value for source_url: 'ftp://example.invalid/x.img' is not a path, file://, http:// or https:// URL
[exit 2]
<acropolis> image.create x source_url=<sandbox>
Error: Bad value for source_url: <sandbox> is a directory
[exit 2]
<acropolis> image.create x source_url=<sandbox>/media/tiny.qcow2 image_type=kIsoImage
Error: Bad value for image_type: the source is a qcow2 disk image, not an ISO
[exit 2]
<acropolis> image.create x
Error: image.create needs one of source_url and clone_from_vmdisk
[exit 2]
<acropolis> image.create " padded" source_url=<sandbox>/media/tiny.iso
Error: Bad value for name: ' padded' is not a valid name (printable text, no blanks at either end; at most 128)
[exit 2]
<acropolis> image.create a source_url=<sandbox>/media/tiny.iso
a: pending
a: complete
<acropolis> image.create a source_url=<sandbox>/media/tiny.iso
Error: image name already exists: a
[exit 1]
<acropolis> image.create b source_url=<sandbox>/media/tiny.iso image_type=kFloppy
Error: Bad value for image_type: 'kFloppy' is not one of kDiskImage, kIsoImage (column 79)
[exit 2]
<acropolis> image.get nothing
Error: Unknown name: nothing (column 11)
[exit 1]
<acropolis> image.get z*
Error: no image matches z* (column 11)
[exit 1]
<acropolis> image.list
Image name  Image type  Image UUID
a           kIsoImage   <uuid:9>
# An image from a VM's disk: a full, flattened copy (vm:VM:bus.index or a vmdisk UUID).
<acropolis> vm.create imgsrc memory=64M
imgsrc: complete
<acropolis> vm.disk_create imgsrc create_size=2G
DiskCreate: complete
<acropolis> image.create golden clone_from_vmdisk=vm:imgsrc:scsi.0 annotation="from imgsrc"
golden: pending
golden: complete
<acropolis> image.get golden
golden {
  annotation: "from imgsrc"
  container_name: "default-container"
  container_uuid: "<uuid:3>"
  file_format: "qcow2"
  image_state: "kActive"
  image_type: "kDiskImage"
  name: "golden"
  uuid: "<uuid:10>"
  vmdisk_size: 2147483648
  vmdisk_uuid: "<uuid:10>"
}
<acropolis> -o json image.create golden2 clone_from_vmdisk=vm:imgsrc:scsi.0
{"data": [{"label": "golden2", "status": "complete", "uuid": "<uuid:11>"}], "error": null, "status": 0}
<acropolis> image.create golden clone_from_vmdisk=vm:imgsrc:scsi.0
Error: image name already exists: golden
[exit 1]
<acropolis> image.create golden3
Error: image.create needs one of source_url and clone_from_vmdisk
[exit 2]
<acropolis> image.create golden3 clone_from_vmdisk=vm:imgsrc:scsi.4
Error: imgsrc has no disk at scsi.4
[exit 1]
<acropolis> image.create golden3 clone_from_vmdisk=imgsrc
Error: Bad value for clone_from_vmdisk: 'imgsrc' is not vm:VMNAME:bus.index or a vmdisk UUID
[exit 2]
<acropolis> image.create golden3 clone_from_vmdisk=vm:imgsrc:scsi.0 image_type=kIsoImage
Error: Bad value for image_type: a VM's disk is a disk image, not an ISO
[exit 2]
