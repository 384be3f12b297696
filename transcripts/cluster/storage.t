# hosts: 3
# Containers and images are the cluster's: one container on every host, and
# an image made on one host seen by all, so any host's VMs clone from it.
<acropolis> container.create lab
lab: complete
$ for h in 1 2 3; do acli --sandbox=<sandbox>/host$h container.get lab | grep -E '^  (name|uuid)'; done
  name: "lab"
  uuid: "<uuid:1>"
  name: "lab"
  uuid: "<uuid:1>"
  name: "lab"
  uuid: "<uuid:1>"
<acropolis> image.create base source_url=<sandbox>/host1/media/tiny.qcow2 container=lab
base: pending
base: complete
<acropolis> vm.create web memory=1G
web: complete
note: web defined on host1
<acropolis> vm.on web host=host3
web: complete
note: web runs on host3
<acropolis> vm.disk_create web clone_from_image=base container=lab
DiskCreate: complete
<acropolis> vm.migrate web host=host2
web: pending
web: complete
<acropolis> vm.disk_list web
Device bus  Device index
scsi        0
<acropolis> -y image.delete base
Error: base: in use by web scsi.0 on host2; delete those disks first
[exit 1]
<acropolis> container.delete lab
Error: container lab is not empty on host host1 (1 volumes)
[exit 1]
<acropolis> -y vm.delete web
web: complete
<acropolis> -y image.delete base
base: complete
<acropolis> -y container.delete lab
lab: complete
$ for h in 1 2 3; do acli --sandbox=<sandbox>/host$h container.list | cut -d' ' -f1; done
Container
default-container
Container
default-container
Container
default-container
