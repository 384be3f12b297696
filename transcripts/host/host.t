# The sandbox host describes itself like an AHV node.
<acropolis> host.list
Hypervisor IP  Hypervisor DNS Name  Host UUID                             Node state       Schedulable  Hypervisor Type  CPUs  Memory MB  VMs  Connection
127.0.0.1      sandbox              <uuid:1>  AcropolisNormal  True         kKvm             16    65536      0    sandbox
<acropolis> vm.create a,b memory=64M
a: complete
b: complete
<acropolis> host.get
sandbox {
  cpu_frequency_mhz: 2400
  cpu_model: "Skylake-Server"
  hypervisor_address: "127.0.0.1"
  hypervisor_type: "kKvm"
  hypervisor_uri: "test://<sandbox>/host.xml"
  memory_mb: 65536
  name: "sandbox"
  node_state: "kAcropolisNormal"
  num_cpu_cores: 8
  num_cpu_sockets: 1
  num_cpu_threads: 16
  num_vms: 2
  sandbox: True
  schedulable: True
  uuid: "<uuid:1>"
}
<acropolis> host.get elsewhere
Error: Unknown name: elsewhere
[exit 1]
<acropolis> -o json host.list
{"data": [{"hypervisor_address": "127.0.0.1", "name": "sandbox", "uuid": "<uuid:1>", "node_state": "AcropolisNormal", "schedulable": true, "hypervisor_type": "kKvm", "num_cpus": 16, "memory_mb": 65536, "num_vms": 2, "connection": "sandbox"}], "error": null, "status": 0}
