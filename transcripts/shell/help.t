<acropolis> help vm.create
Create one or more VMs (powered off).

usage: vm.create vm_list [memory=SIZE] [num_vcpus=INT[1..240]] [num_cores_per_vcpu=INT[1..64]] [num_threads_per_core=INT[1..8]] [machine_type=pc|q35] [uefi_boot=true|false] [description=STRING] [annotation=STRING] [cpu_passthrough=true|false] [ha_priority=INT[-1..1000]]

  vm_list               NAME[,NAME...] (ranges like web[01..12]): names of the new VMs; web[01..12] makes twelve, "Prism Central" one with a blank (at most 1,000) (required)
  memory                SIZE: memory, e.g. 2G or 4096M (a bare number is MiB) (default 2G)
  num_vcpus             INT[1..240]: number of vCPU sockets (default 1)
  num_cores_per_vcpu    INT[1..64]: cores per vCPU socket (default 1)
  num_threads_per_core  INT[1..8]: threads per core (default 1)
  machine_type          pc|q35: QEMU machine type (default pc)
  uefi_boot             true|false: boot with UEFI firmware instead of BIOS
  description           STRING: free text shown by vm.get
  annotation            STRING: the same as description
  cpu_passthrough       true|false: give the VMs the host's own CPU (they cannot live-migrate then)
  ha_priority           INT[-1..1000]: restart order after a host fails (higher first; -1: never restarted)
<acropolis> help vm.on
Power VMs on (in a cluster: where placement or host= says).

usage: vm.on vm_list [host=STRING]

  vm_list  VM[,...] or a glob: VMs by name, UUID or glob (required)
  host     STRING: the host to start them on (default: theirs, if it may run them, else the one placement picks)
<acropolis> help host
host.enter_maintenance_mode        Move every VM off a host by live migration and stop placing VMs on it.
host.enter_maintenance_mode_check  Say whether a host can enter maintenance mode, and what would happen to each VM.
host.exit_maintenance_mode         Let a host in maintenance mode take VMs again.
host.get                           Show hypervisor hosts.
host.list                          List the hypervisor hosts of the cluster.
<acropolis> help vm.crate
Error: Unknown command: vm.crate (did you mean vm.create?)
[exit 2]
<acropolis> -o json help vm.list
{"data": {"name": "vm.list", "summary": "List VMs.", "params": [{"name": "power_state", "type": "on|off|paused|suspended", "required": false, "positional": false, "help": "only VMs in this state"}]}, "error": null, "status": 0}
