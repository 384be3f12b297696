# hosts: 3
# High availability on a sandbox cluster: settings, priorities, admission
# control, and a host made to fail on purpose (a file named down in its
# directory) whose VMs the watcher (acli-ha) restarts on the others.
<acropolis> ha.get
ha {
  enable_failover: True
  ha_state: "kOk"
  num_host_failures_to_tolerate: 0
  reservation_type: "kAcropolisHAReserveHosts"
}
<acropolis> ha.update num_host_failures_to_tolerate=3
Error: num_host_failures_to_tolerate=3: the cluster has 3 hosts; at most 2 can fail with one left
[exit 1]
<acropolis> ha.update num_host_failures_to_tolerate=1
ha: complete
<acropolis> ha.update
Error: ha.update: nothing to change (give num_host_failures_to_tolerate or enable_failover)
[exit 2]
<acropolis> vm.create hi,mid,lo,never memory=8G
hi: complete
mid: complete
lo: complete
never: complete
<acropolis> vm.update hi ha_priority=10
hi: complete
<acropolis> vm.update mid ha_priority=5
mid: complete
<acropolis> vm.update never ha_priority=-1
never: complete
<acropolis> vm.on hi,mid,lo,never host=host3
hi: complete
mid: complete
lo: complete
never: complete
<acropolis> vm.get hi
hi {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    ha_priority: 10
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 8192
    memory_mb: 8192
    name: "hi"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  host_name: "host3"
  host_uuid: "<uuid:1>"
  logical_timestamp: 2
  state: "kOn"
  uuid: "<uuid:2>"
}
<acropolis> ha.get
ha {
  enable_failover: True
  ha_state: "kOk"
  num_host_failures_to_tolerate: 1
  reservation_type: "kAcropolisHAReserveHosts"
}
# admission control: three hosts of 64 GiB, one failure tolerated
<acropolis> vm.create big[1..5] memory=24G
big1: complete
big2: complete
big3: complete
big4: complete
big5: complete
<acropolis> vm.on big[1..4]
big1: complete
big2: complete
big3: complete
big4: complete
<acropolis> ha.get
ha {
  enable_failover: True
  ha_state: "kOk"
  num_host_failures_to_tolerate: 1
  reservation_type: "kAcropolisHAReserveHosts"
}
<acropolis> vm.on big5
Error: big5: no host can take it: HA admission control: it would leave too little memory to restart the VMs of 1 failed host (num_host_failures_to_tolerate=1): 24576 MB missing
[exit 1]
<acropolis> vm.on big5 host=host1
Error: big5: no host can take it: no room: it needs 24576 MB, the most free is 16384 MB
[exit 1]
<acropolis> host.enter_maintenance_mode host2
Error: host host2 cannot enter maintenance mode, nothing was changed: big3: no host can take it: HA admission control: it would leave too little memory to restart the VMs of 1 failed host (num_host_failures_to_tolerate=1): 40960 MB missing; big4: no host can take it: HA admission control: it would leave too little memory to restart the VMs of 1 failed host (num_host_failures_to_tolerate=1): 40960 MB missing (non_migratable_vm_action=kAcpiShutdown shuts such VMs down)
[exit 1]
<acropolis> -y vm.delete big5
big5: complete
# the watcher records what runs where, then host3 fails
$ acli-ha once --sandbox=<sandbox>
$ touch <sandbox>/host3/down
$ acli-ha once --sandbox=<sandbox>
host host3 does not answer: powered down (a file named down in its directory)
hi: running on host1
mid: running on host2
lo: running on host1
never: not restarted: ha_priority -1: never restarted
<acropolis> host.list
Hypervisor IP  Hypervisor DNS Name  Host UUID                             Node state       Schedulable  Hypervisor Type  CPUs  Memory MB  VMs  Connection
198.51.100.11  host1                <uuid:3>  AcropolisNormal  True         kKvm             16    65536      4    sandbox
198.51.100.12  host2                <uuid:4>  AcropolisNormal  True         kKvm             16    65536      3    sandbox
198.51.100.13  host3                                                      NotAnswering     False        kKvm             0     0          0    down
<acropolis> vm.list power_state=on
VM name  VM UUID
big1     <uuid:5>
big2     <uuid:6>
big3     <uuid:7>
big4     <uuid:8>
hi       <uuid:2>
lo       <uuid:9>
mid      <uuid:10>
note: host host3 does not answer (powered down (a file named down in its directory)): its VMs are not listed
# host3 comes back: its copies of the restarted VMs are removed, never started
$ rm <sandbox>/host3/down
$ acli-ha once --sandbox=<sandbox>
hi: the stale copy on host3 was removed
lo: the stale copy on host3 was removed
mid: the stale copy on host3 was removed
<acropolis> host.list
Hypervisor IP  Hypervisor DNS Name  Host UUID                             Node state       Schedulable  Hypervisor Type  CPUs  Memory MB  VMs  Connection
198.51.100.11  host1                <uuid:3>  AcropolisNormal  True         kKvm             16    65536      4    sandbox
198.51.100.12  host2                <uuid:4>  AcropolisNormal  True         kKvm             16    65536      3    sandbox
198.51.100.13  host3                <uuid:1>  AcropolisNormal  True         kKvm             16    65536      1    sandbox
<acropolis> vm.list
VM name  VM UUID
big1     <uuid:5>
big2     <uuid:6>
big3     <uuid:7>
big4     <uuid:8>
hi       <uuid:2>
lo       <uuid:9>
mid      <uuid:10>
never    <uuid:11>
