# Deleting asks first; with nobody to answer it is refused, not assumed.
<acropolis> vm.create d1,d2,keep memory=64M
d1: complete
d2: complete
keep: complete
<acropolis> vm.delete d*
Error: Delete 2 VMs: confirmation needed; add -y (no terminal to ask)
[exit 1]
<acropolis> vm.list
VM name  VM UUID
d1       <uuid:1>
d2       <uuid:2>
keep     <uuid:3>
<acropolis> vm.on d1
d1: complete
<acropolis> -y vm.delete d*
d1: complete
d2: complete
<acropolis> vm.list
VM name  VM UUID
keep     <uuid:3>
<acropolis> -y vm.delete d*
Error: no VM matches d* (column 14)
[exit 1]
<acropolis> -y vm.delete nope
Error: Unknown name: nope (column 14)
[exit 1]
