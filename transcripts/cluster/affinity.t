# hosts: 3
# Affinity (vm.affinity_set) and VM groups with anti-affinity.
<acropolis> vm.create db1,db2,app memory=2G
db1: complete
db2: complete
app: complete
note: db1, db2, app defined on host1
<acropolis> vm.affinity_set app host_list=host1,host2
app: complete
<acropolis> vm.get app
app {
  config {
    affinity {
      host_list: "host1"
      host_list: "host2"
      policy: "kAffinity"
    }
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 2048
    memory_mb: 2048
    name: "app"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  host_name: "host1"
  host_uuid: "<uuid:1>"
  logical_timestamp: 1
  state: "kOff"
  uuid: "<uuid:2>"
}
<acropolis> vm.on app host=host3
Error: app: no host can take it: its affinity to host1, host2
[exit 1]
<acropolis> vm.affinity_set app host_list=nowhere
Error: Unknown name: nowhere
[exit 1]
<acropolis> vm.affinity_unset app
app: complete
<acropolis> vm_group.create dbs
dbs: complete
<acropolis> vm_group.create dbs
Error: VM group name already exists: dbs
[exit 1]
<acropolis> vm_group.add_vms dbs vm_list=db1,db2
dbs: complete
<acropolis> vm_group.antiaffinity_set dbs
dbs: complete
<acropolis> vm_group.list
VM group name  VM group UUID                         Anti-affinity  VMs
dbs            <uuid:3>  True           2
<acropolis> vm_group.list_vms dbs
VM name  VM UUID
db1      <uuid:4>
db2      <uuid:5>
<acropolis> vm.on db1 host=host1
db1: complete
note: db1 runs on host1
<acropolis> vm.on db2 host=host1
Error: db2: no host can take it: anti-affinity of VM group dbs
[exit 1]
<acropolis> vm.on db2
db2: complete
note: db2 runs on host2
<acropolis> vm.migrate db2 host=host1
Error: db2: no host can take it: anti-affinity of VM group dbs
[exit 1]
<acropolis> vm_group.antiaffinity_unset dbs
dbs: complete
<acropolis> vm.migrate db2 host=host1
db2: pending
db2: complete
<acropolis> vm_group.remove_vms dbs vm_list=db2
dbs: complete
<acropolis> vm_group.list_vms dbs
VM name  VM UUID
db1      <uuid:4>
<acropolis> -y vm_group.delete dbs
dbs: complete
<acropolis> vm_group.list
VM group name  VM group UUID  Anti-affinity  VMs
