# Power actions take names, lists and globs; on and off are idempotent.
<acropolis> vm.create web1,web2,db1 memory=64M
web1: complete
web2: complete
db1: complete
<acropolis> vm.on web*
web1: complete
web2: complete
<acropolis> vm.on web1
web1: complete
<acropolis> vm.list power_state=on
VM name  VM UUID
web1     <uuid:1>
web2     <uuid:2>
<acropolis> vm.pause web1
web1: complete
<acropolis> vm.list power_state=paused
VM name  VM UUID
web1     <uuid:1>
<acropolis> vm.resume web1
web1: complete
<acropolis> vm.reboot web1
web1: complete
<acropolis> vm.reset web2
web2: complete
<acropolis> vm.power_cycle db1
db1: complete
<acropolis> vm.shutdown web1
web1: complete
<acropolis> vm.off web2,db1
web2: complete
db1: complete
<acropolis> vm.list power_state=on
VM name  VM UUID
# Actions that need a running VM say so, per VM, and the others still run.
<acropolis> vm.on web1
web1: complete
<acropolis> vm.reset web*
web1: complete
Error: web2: cannot reset: VM is off
[exit 1]
<acropolis> vm.pause db1
Error: db1: cannot pause: VM is off
[exit 1]
<acropolis> vm.resume db1
Error: db1: cannot resume: VM is off
[exit 1]
<acropolis> vm.reboot db1
Error: db1: cannot reboot: VM is off
[exit 1]
# A glob that matches nothing is an error, not silence.
<acropolis> vm.on zz*
Error: no VM matches zz* (column 7)
[exit 1]
<acropolis> vm.off nope
Error: Unknown name: nope (column 8)
[exit 1]
# guest_reboot goes through the guest agent (the sandbox's test driver always has one).
<acropolis> vm.guest_reboot web1
web1: complete
<acropolis> vm.guest_reboot db1
Error: db1: cannot reboot: VM is off
[exit 1]
