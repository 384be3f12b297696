<acropolis> vm.create base memory=256M num_vcpus=2 description="golden"
base: complete
<acropolis> vm.clone copy[1..3] clone_from_vm=base
copy1: complete
copy2: complete
copy3: complete
<acropolis> vm.clone big clone_from_vm=base memory=1G num_vcpus=4
big: complete
<acropolis> vm.get big
big {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    description: "golden"
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 1024
    memory_mb: 1024
    name: "big"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 4
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 1
  state: "kOff"
  uuid: "<uuid:1>"
}
<acropolis> vm.list
VM name  VM UUID
base     <uuid:2>
big      <uuid:1>
copy1    <uuid:3>
copy2    <uuid:4>
copy3    <uuid:5>
<acropolis> vm.clone copy1 clone_from_vm=base
Error: VM name already exists: copy1
[exit 1]
<acropolis> vm.clone c9 clone_from_vm=nope
Error: Unknown name: nope
[exit 1]
<acropolis> vm.clone c9
Error: Missing argument: clone_from_vm or clone_from_snapshot (vm.clone takes one)
[exit 2]
