# agent_vm and extra_flags are kept in the VM's definition (acli's metadata
# element of their own), so every acli process and virsh dumpxml see them.
# vm.get shows agent_vm when set and each flag as protobuf prints a map.
<acropolis> vm.create agent1 memory=64M
agent1: complete
<acropolis> vm.update agent1 agent_vm=true extra_flags=is_system_vm=true
agent1: complete
<acropolis> vm.update agent1 extra_flags=owner=ops;note=a=b
agent1: complete
<acropolis> vm.get agent1
agent1 {
  config {
    agent_vm: True
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    extra_flags {
      key: "is_system_vm"
      value: "true"
    }
    extra_flags {
      key: "note"
      value: "a=b"
    }
    extra_flags {
      key: "owner"
      value: "ops"
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "agent1"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 3
  state: "kOff"
  uuid: "<uuid:1>"
}
<acropolis> -o json vm.get agent1
{"data": {"<uuid:1>": {"config": {"agent_vm": true, "allow_live_migrate": true, "boot": {"uefi_boot": false}, "extra_flags": [{"key": "is_system_vm", "value": "true"}, {"key": "note", "value": "a=b"}, {"key": "owner", "value": "ops"}], "hwclock_timezone": "UTC", "machine_type": "pc", "max_hotplug_memory_mb": 64, "memory_mb": 64, "name": "agent1", "num_cores_per_vcpu": 1, "num_threads_per_core": 1, "num_vcpus": 1, "vga_console": false, "vm_type": "kGuestVM"}, "logical_timestamp": 3, "state": "kOff", "uuid": "<uuid:1>"}}, "error": null, "status": 0}
# key= removes a flag; agent_vm=false is the default, and not shown.
<acropolis> vm.update agent1 agent_vm=false extra_flags=note=
agent1: complete
$ acli vm.get agent1 | grep -A2 -e agent_vm -e extra_flags
    extra_flags {
      key: "is_system_vm"
      value: "true"
--
    extra_flags {
      key: "owner"
      value: "ops"
<acropolis> vm.update agent1 extra_flags=novalue
Error: Bad value for extra_flags: 'novalue' is not key=value (a key is letters, digits, _ . -) (column 30)
[exit 2]
<acropolis> vm.update agent1 extra_flags="bad key=1"
Error: Bad value for extra_flags: 'bad key=1' is not key=value (a key is letters, digits, _ . -) (column 30)
[exit 2]
<acropolis> vm.update agent1 agent_vm=maybe
Error: Bad value for agent_vm: 'maybe' is not true or false (column 27)
[exit 2]
