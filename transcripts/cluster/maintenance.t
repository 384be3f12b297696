# hosts: 3
# Maintenance mode: the host's running VMs leave by live migration, and it
# takes no VMs until it leaves maintenance.
<acropolis> vm.create m[1..3] memory=8G
m1: complete
m2: complete
m3: complete
note: m1, m2, m3 defined on host1
<acropolis> vm.on m[1..3] host=host1
m1: complete
m2: complete
m3: complete
note: m1 runs on host1
note: m2 runs on host1
note: m3 runs on host1
<acropolis> vm.create agent1 memory=1G
agent1: complete
note: agent1 defined on host2
<acropolis> vm.update agent1 agent_vm=true
agent1: complete
<acropolis> vm.on agent1 host=host1
agent1: complete
note: agent1 runs on host1
<acropolis> host.enter_maintenance_mode_check host1
VM name  VM UUID                               Action                  Destination
agent1   <uuid:1>  powered off (agent VM)
m1       <uuid:2>  migrate                 host2
m2       <uuid:3>  migrate                 host3
m3       <uuid:4>  migrate                 host2
<acropolis> host.enter_maintenance_mode host1
m1: pending
m2: pending
m3: pending
agent1: complete
m1: complete
m2: complete
m3: complete
host1: complete
note: agent1: powered off (agent VM)
note: m1: migrated to host2
note: m2: migrated to host3
note: m3: migrated to host2
<acropolis> host.list
Hypervisor IP  Hypervisor DNS Name  Host UUID                             Node state              Schedulable  Hypervisor Type  CPUs  Memory MB  VMs  Connection
198.51.100.11  host1                <uuid:5>  EnteredMaintenanceMode  False        kKvm             16    65536      1    sandbox
198.51.100.12  host2                <uuid:6>  AcropolisNormal         True         kKvm             16    65536      2    sandbox
198.51.100.13  host3                <uuid:7>  AcropolisNormal         True         kKvm             16    65536      1    sandbox
<acropolis> vm.migrate m1 host=host1
Error: m1: no host can take it: host1 is in maintenance mode
[exit 1]
<acropolis> vm.create pinned memory=1G
pinned: complete
note: pinned defined on host3
<acropolis> vm.affinity_set pinned host_list=host2
pinned: complete
<acropolis> vm.on pinned
pinned: complete
note: pinned runs on host2
<acropolis> host.enter_maintenance_mode host2
Error: host host2 cannot enter maintenance mode, nothing was changed: pinned: no host can take it: its affinity to host2 (non_migratable_vm_action=kAcpiShutdown shuts such VMs down)
[exit 1]
<acropolis> host.enter_maintenance_mode_check host2
VM name  VM UUID                               Action   Destination
m1       <uuid:2>  migrate  host3
m3       <uuid:4>  migrate  host3
pinned   <uuid:8>  blocks   no host can take it: its affinity to host2
<acropolis> vm.list power_state=on
VM name  VM UUID
m1       <uuid:2>
m2       <uuid:3>
m3       <uuid:4>
pinned   <uuid:8>
<acropolis> host.exit_maintenance_mode host1
host1: complete
<acropolis> host.exit_maintenance_mode host1
Error: host host1 is not in maintenance mode
[exit 1]
<acropolis> host.list
Hypervisor IP  Hypervisor DNS Name  Host UUID                             Node state       Schedulable  Hypervisor Type  CPUs  Memory MB  VMs  Connection
198.51.100.11  host1                <uuid:5>  AcropolisNormal  True         kKvm             16    65536      1    sandbox
198.51.100.12  host2                <uuid:6>  AcropolisNormal  True         kKvm             16    65536      3    sandbox
198.51.100.13  host3                <uuid:7>  AcropolisNormal  True         kKvm             16    65536      1    sandbox
<acropolis> vm.list power_state=on
VM name  VM UUID
agent1   <uuid:1>
m1       <uuid:2>
m2       <uuid:3>
m3       <uuid:4>
pinned   <uuid:8>
