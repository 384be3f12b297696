<acropolis> vm.create u1 memory=64M
u1: complete
<acropolis> vm.update u1 memory=128M num_vcpus=2 num_cores_per_vcpu=2 description="db server"
u1: complete
<acropolis> vm.get u1
u1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    description: "db server"
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 128
    memory_mb: 128
    name: "u1"
    num_cores_per_vcpu: 2
    num_threads_per_core: 1
    num_vcpus: 2
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 2
  state: "kOff"
  uuid: "<uuid:1>"
}
<acropolis> vm.update u1 name=u2
u1: complete
<acropolis> vm.list
VM name  VM UUID
u2       <uuid:1>
<acropolis> vm.update u2
Error: vm.update: nothing to change (give memory, num_vcpus, name, ...)
[exit 2]
<acropolis> vm.update u2 name="a/b"
Error: Bad value for name: 'a/b' is not a valid VM name (printable text, no blanks at either end, no '/'; at most 64) (column 19)
[exit 2]
# A running VM keeps its memory and vCPUs until it is off.
<acropolis> vm.on u2
u2: complete
<acropolis> vm.update u2 memory=1G
Error: u2: VM is on; power it off to change memory or vCPUs
[exit 1]
<acropolis> vm.update u2 name=u3
Error: u2: VM is on; power it off to rename it
[exit 1]
<acropolis> vm.update u2 description="still running"
u2: complete
<acropolis> vm.off u2
u2: complete
<acropolis> vm.update u2 memory=1G
u2: complete
<acropolis> vm.create u3 memory=64M
u3: complete
<acropolis> vm.update u2 name=u3
Error: u2: VM name already exists: u3
[exit 1]
<acropolis> vm.update u* name=same
Error: name= renames one VM; the selection matched several
[exit 2]
