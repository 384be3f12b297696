# Containers are libvirt storage pools. A fresh sandbox has default-container.
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Path                                   Container UUID
default-container  107374182400          107374182400        /sandbox/containers/default-container  <uuid:1>
<acropolis> container.get default-container
default-container {
  active: True
  capacity_bytes: 107374182400
  free_bytes: 107374182400
  name: "default-container"
  num_volumes: 0
  path: "/sandbox/containers/default-container"
  type: "dir"
  used_bytes: 0
  uuid: "<uuid:1>"
}
<acropolis> container.create gold
gold: complete
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Path                                   Container UUID
default-container  107374182400          107374182400        /sandbox/containers/default-container  <uuid:1>
gold               107374182400          107374182400        /sandbox/containers/gold               <uuid:2>
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
Container name     Max capacity (bytes)  Free space (bytes)  Path                                   Container UUID
default-container  107374182400          107374182400        /sandbox/containers/default-container  <uuid:1>
