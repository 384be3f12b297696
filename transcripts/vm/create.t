# vm.create makes powered-off VMs; a range makes several at once.
<acropolis> vm.create web1 memory=64M
web1: complete
<acropolis> vm.create db[01..03] memory=1G num_vcpus=2
db01: complete
db02: complete
db03: complete
<acropolis> vm.create app[8..10] memory=512
app8: complete
app9: complete
app10: complete
<acropolis> vm.list
VM name  VM UUID
app8     <uuid:1>
app9     <uuid:2>
app10    <uuid:3>
db01     <uuid:4>
db02     <uuid:5>
db03     <uuid:6>
web1     <uuid:7>

# Names are unique: nothing is made when one is taken.
<acropolis> vm.create web1,web2
Error: VM name already exists: web1
[exit 1]
<acropolis> vm.get web2
Error: Unknown name: web2 (did you mean web1?) (column 8)
[exit 1]

# Bad values are refused before anything happens.
<acropolis> vm.create big memory=lots
Error: Bad value for memory: 'lots' is not a size (use a number and K, M, G or T, e.g. 2G) (column 22)
[exit 2]
<acropolis> vm.create big num_vcpus=0
Error: Bad value for num_vcpus: 0 is below the minimum 1 (column 25)
[exit 2]
<acropolis> vm.create big machine_type=isa
Error: Bad value for machine_type: 'isa' is not one of pc, q35 (column 28)
[exit 2]
<acropolis> vm.create big memroy=2G
Error: Unknown keyword argument: memroy (did you mean memory?) (column 15)
[exit 2]
<acropolis> vm.create web*
Error: Bad value for vm_list: 'web*' is a pattern; new VM names must be plain (column 11)
[exit 2]
<acropolis> vm.create "bad/name"
Error: Bad value for vm_list: 'bad/name' is not a valid VM name (printable text, no blanks at either end, no '/'; at most 64) (column 11)
[exit 2]
<acropolis> vm.create big uefi_boot=maybe
Error: Bad value for uefi_boot: 'maybe' is not true or false (column 25)
[exit 2]
<acropolis> vm.get big
Error: Unknown name: big (column 8)
[exit 1]
