# hosts: 3
# Placement, vm.on host=, vm.migrate and their refusals.
<acropolis> vm.create a,b memory=4G
a: complete
b: complete
note: a, b defined on host1
<acropolis> vm.on a host=host2
a: complete
note: a runs on host2
<acropolis> vm.get a
a {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 4096
    memory_mb: 4096
    name: "a"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  host_name: "host2"
  host_uuid: "<uuid:1>"
  logical_timestamp: 2
  state: "kOn"
  uuid: "<uuid:2>"
}
<acropolis> vm.on b
b: complete
note: b runs on host1
<acropolis> vm.migrate a,b host=host3
a: pending
b: pending
a: complete
b: complete
<acropolis> vm.list power_state=on
VM name  VM UUID
a        <uuid:2>
b        <uuid:3>
<acropolis> vm.migrate a host=host3
Error: a: it runs on host3 already
[exit 1]
<acropolis> vm.migrate a host=elsewhere
Error: Unknown name: elsewhere
[exit 1]
<acropolis> vm.on a host=host1
Error: a: it runs on host3; use vm.migrate to move it
[exit 1]
<acropolis> vm.create big memory=70G
big: complete
note: big defined on host1
<acropolis> vm.on big
Error: big: no host can take it: no room: it needs 71680 MB, the most free is 65536 MB
[exit 1]
<acropolis> vm.migrate missing
Error: Unknown name: missing (column 12)
[exit 1]
<acropolis> vm.off a
a: complete
<acropolis> vm.migrate a host=host1
a: pending
a: complete
<acropolis> vm.on a
a: complete
note: a runs on host1
# the host's own CPU: no live migration, until it has the cluster's baseline CPU again
<acropolis> vm.create fast memory=1G cpu_passthrough=true
fast: complete
note: fast defined on host2
<acropolis> vm.on fast
fast: complete
note: fast runs on host2
<acropolis> vm.migrate fast
Error: fast: cannot migrate from host2: it has the host's CPU (cpu_passthrough), which cannot live-migrate
[exit 1]
<acropolis> vm.update fast cpu_passthrough=false
Error: fast: VM is on; power it off to change its CPU (cpu_passthrough)
[exit 1]
<acropolis> vm.off fast
fast: complete
<acropolis> vm.update fast cpu_passthrough=false
fast: complete
<acropolis> vm.on fast
fast: complete
note: fast runs on host2
<acropolis> vm.migrate fast
fast: pending
fast: complete
note: fast runs on host3
