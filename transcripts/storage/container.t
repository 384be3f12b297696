# Containers are libvirt storage pools. A fresh sandbox has default-container.
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Provisioned (bytes)  Used (bytes)  Path                                   Container UUID
default-container  107374182400          107374182400        0                    0             /sandbox/containers/default-container  <uuid:1>
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
<acropolis> container.create gold
gold: complete
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Provisioned (bytes)  Used (bytes)  Path                                   Container UUID
default-container  107374182400          107374182400        0                    0             /sandbox/containers/default-container  <uuid:1>
gold               107374182400          107374182400        0                    0             /sandbox/containers/gold               <uuid:2>
<acropolis> container.create gold
Error: container already exists: gold
[exit 1]
<acropolis> container.create "bad name"
Error: Bad value for name: 'bad name' is not a valid name (letters, digits, _ . + -; at most 64)
[exit 2]
<acropolis> container.get silver
Error: Unknown name: silver (column 15)
[exit 1]
<acropolis> container.get s*
Error: no container matches s* (column 15)
[exit 1]
# A container that holds volumes is not deleted.
<acropolis> vm.create v1 memory=64M
v1: complete
<acropolis> vm.disk_create v1 create_size=1G container=gold
DiskCreate: complete
<acropolis> -y container.delete gold
Error: container gold is not empty (1 volumes)
[exit 1]
<acropolis> -y vm.delete v1
v1: complete
<acropolis> container.delete gold
Error: Delete 1 containers: confirmation needed; add -y (no terminal to ask)
[exit 1]
<acropolis> -y container.delete gold
gold: complete
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Provisioned (bytes)  Used (bytes)  Path                                   Container UUID
default-container  107374182400          107374182400        0                    0             /sandbox/containers/default-container  <uuid:1>
# Containers are thin, as on AHV: a 100 GiB container holds a 500 GiB disk,
# which takes only its qcow2 metadata until the guest writes.
<acropolis> vm.create thin1 memory=64M
thin1: complete
<acropolis> vm.disk_create thin1 create_size=500G
DiskCreate: complete
<acropolis> vm.disk_create thin1 create_size=500G container=default-container
DiskCreate: complete
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Provisioned (bytes)  Used (bytes)  Path                                   Container UUID
default-container  107374182400          107373773184        1073741824000        409216        /sandbox/containers/default-container  <uuid:1>
<acropolis> container.get default-container
default-container {
  active: True
  capacity_bytes: 107374182400
  free_bytes: 107373773184
  name: "default-container"
  num_volumes: 2
  path: "/sandbox/containers/default-container"
  provisioned_bytes: 1073741824000
  type: "dir"
  used_bytes: 409216
  uuid: "<uuid:1>"
}
# Only what the host cannot make is refused.
<acropolis> vm.disk_create thin1 create_size=4096T
Error: Bad value for create_size: 4503599627370496 bytes is more than a qcow2 disk can hold (2251799813685248 bytes, 2 PiB)
[exit 2]
<acropolis> vm.disk_update thin1 disk_addr=scsi.0 new_size=4096T
Error: Bad value for new_size: 4503599627370496 bytes is more than a qcow2 disk can hold (2251799813685248 bytes, 2 PiB)
[exit 2]
<acropolis> -o json container.list
{"data": [{"name": "default-container", "capacity_bytes": 107374182400, "free_bytes": 107373773184, "provisioned_bytes": 1073741824000, "used_bytes": 409216, "path": "/sandbox/containers/default-container", "uuid": "<uuid:1>"}], "error": null, "status": 0}
