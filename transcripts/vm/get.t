# vm.get prints aCLI's record: keys in alphabetical order, memory in MB.
<acropolis> vm.create web1 memory=2G num_vcpus=2 num_cores_per_vcpu=4 machine_type=q35 description="front end"
web1: complete
<acropolis> vm.get web1
web1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    description: "front end"
    hwclock_timezone: "UTC"
    machine_type: "q35"
    max_hotplug_memory_mb: 2048
    memory_mb: 2048
    name: "web1"
    num_cores_per_vcpu: 4
    num_threads_per_core: 1
    num_vcpus: 2
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 1
  state: "kOff"
  uuid: "<uuid:1>"
}
<acropolis> vm.create uefi1 memory=64M uefi_boot=true
uefi1: complete
<acropolis> vm.get uefi1
uefi1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: True
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "uefi1"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 1
  state: "kOff"
  uuid: "<uuid:2>"
}
# By UUID; a glob that matches nothing is an error.
<acropolis> vm.get <uuid:1>
web1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    description: "front end"
    hwclock_timezone: "UTC"
    machine_type: "q35"
    max_hotplug_memory_mb: 2048
    memory_mb: 2048
    name: "web1"
    num_cores_per_vcpu: 4
    num_threads_per_core: 1
    num_vcpus: 2
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 1
  state: "kOff"
  uuid: "<uuid:1>"
}
<acropolis> vm.list
VM name  VM UUID
uefi1    <uuid:2>
web1     <uuid:1>
<acropolis> -o json vm.get web1
{"data": {"<uuid:1>": {"config": {"allow_live_migrate": true, "boot": {"uefi_boot": false}, "description": "front end", "hwclock_timezone": "UTC", "machine_type": "q35", "max_hotplug_memory_mb": 2048, "memory_mb": 2048, "name": "web1", "num_cores_per_vcpu": 4, "num_threads_per_core": 1, "num_vcpus": 2, "vga_console": false, "vm_type": "kGuestVM"}, "logical_timestamp": 1, "state": "kOff", "uuid": "<uuid:1>"}}, "error": null, "status": 0}
<acropolis> vm.get nothing*
Error: no VM matches nothing* (column 8)
[exit 1]
