# vm.create makes powered-off VMs; a range makes several at once.
<acropolis> vm.create web1 memory=64M
web1: complete
<acropolis> vm.create db[01..03] memory=1G num_vcpus=2
db01: complete
db02: complete
db03: complete
<acropolis> vm.list
VM name  VM UUID
db01     <uuid:1>
db02     <uuid:2>
db03     <uuid:3>
web1     <uuid:4>

# Names are unique: nothing is made when one is taken.
<acropolis> vm.create web1,web2
Error: VM name already exists: web1
[exit 1]
<acropolis> vm.get web2
Error: VM not found: web2
[exit 1]
