# hosts: 3
# A sandbox cluster of three hosts (acli --sandbox DIR --hosts 3): each its
# own node file and ovsdb-server, managed as one.
<acropolis> host.list
Hypervisor IP  Hypervisor DNS Name  Host UUID                             Node state       Schedulable  Hypervisor Type  CPUs  Memory MB  VMs  Connection
198.51.100.11  host1                <uuid:1>  AcropolisNormal  True         kKvm             16    65536      0    sandbox
198.51.100.12  host2                <uuid:2>  AcropolisNormal  True         kKvm             16    65536      0    sandbox
198.51.100.13  host3                <uuid:3>  AcropolisNormal  True         kKvm             16    65536      0    sandbox
<acropolis> host.get host2
host2 {
  cpu_baseline: "Broadwell"
  cpu_frequency_mhz: 2400
  cpu_model: "Cascadelake-Server"
  hypervisor_address: "198.51.100.12"
  hypervisor_type: "kKvm"
  hypervisor_uri: "test://<sandbox>/host2/host.xml"
  memory_mb: 65536
  name: "host2"
  node_state: "kAcropolisNormal"
  num_cpu_cores: 8
  num_cpu_sockets: 1
  num_cpu_threads: 16
  num_vms: 0
  sandbox: True
  schedulable: True
  uuid: "<uuid:2>"
}
<acropolis> host.get nowhere
Error: Unknown name: nowhere
[exit 1]
<acropolis> net.list_host_nic host3
Name  MAC address        Link  Speed (Mbps)  MTU   Bridge  Bond
eth0  <mac:1>  up    10000         1500  br0     br0-up
eth1  <mac:2>  up    10000         1500  br0     br0-up
eth2  <mac:3>  up    10000         1500  br0     br0-up
eth3  <mac:4>  up    10000         1500  br0     br0-up
<acropolis> net.get_host_nic 198.51.100.12 eth1
eth1 {
  bond_name: "br0-up"
  bridge_name: "br0"
  host_uuid: "<uuid:2>"
  link: "up"
  mac_addr: "<mac:2>"
  mtu: 1500
  name: "eth1"
  speed_mbps: 10000
}
<acropolis> net.list_host_nic nowhere
Error: Unknown name: nowhere
[exit 1]
<acropolis> vm.create web[1..4] memory=1G
web1: complete
web2: complete
web3: complete
web4: complete
note: web1, web2, web3, web4 defined on host1
<acropolis> vm.list
VM name  VM UUID
web1     <uuid:4>
web2     <uuid:5>
web3     <uuid:6>
web4     <uuid:7>
<acropolis> vm.create web2
Error: VM name already exists: web2
[exit 1]
# a host made to fail on purpose: it does not answer, and is shown as such
$ touch <sandbox>/host3/down
<acropolis> host.list
Hypervisor IP  Hypervisor DNS Name  Host UUID                             Node state       Schedulable  Hypervisor Type  CPUs  Memory MB  VMs  Connection
198.51.100.11  host1                <uuid:1>  AcropolisNormal  True         kKvm             16    65536      4    sandbox
198.51.100.12  host2                <uuid:2>  AcropolisNormal  True         kKvm             16    65536      0    sandbox
198.51.100.13  host3                                                      NotAnswering     False        kKvm             0     0          0    down
<acropolis> vm.list
VM name  VM UUID
web1     <uuid:4>
web2     <uuid:5>
web3     <uuid:6>
web4     <uuid:7>
note: host host3 does not answer (powered down (a file named down in its directory)): its VMs are not listed
$ rm <sandbox>/host3/down
<acropolis> host.list
Hypervisor IP  Hypervisor DNS Name  Host UUID                             Node state       Schedulable  Hypervisor Type  CPUs  Memory MB  VMs  Connection
198.51.100.11  host1                <uuid:1>  AcropolisNormal  True         kKvm             16    65536      4    sandbox
198.51.100.12  host2                <uuid:2>  AcropolisNormal  True         kKvm             16    65536      0    sandbox
198.51.100.13  host3                <uuid:3>  AcropolisNormal  True         kKvm             16    65536      0    sandbox
