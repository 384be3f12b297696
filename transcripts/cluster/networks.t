# hosts: 3
# Networks are the cluster's: made, re-tagged and deleted on every host, with
# one UUID; the VMs on any host that use one count.
<acropolis> net.create vlan.10 vlan=10 ip_config=198.51.100.1/24
vlan.10: complete
<acropolis> net.add_dhcp_pool vlan.10 start=198.51.100.100 end=198.51.100.199
vlan.10: complete
$ for h in 1 2 3; do acli --sandbox=<sandbox>/host$h net.list | tail -n 1; done
vlan.10       <uuid:1>  kBridged  10          198.51.100.0/24
vlan.10       <uuid:1>  kBridged  10          198.51.100.0/24
vlan.10       <uuid:1>  kBridged  10          198.51.100.0/24
<acropolis> vm.create a,b memory=1G
a: complete
b: complete
note: a, b defined on host1
<acropolis> vm.on a host=host1
a: complete
note: a runs on host1
<acropolis> vm.on b host=host2
b: complete
note: b runs on host2
<acropolis> vm.nic_create a network=vlan.10 mac=50:6b:8d:00:00:01
NicCreate: complete
<acropolis> vm.nic_create b network=vlan.10 mac=50:6b:8d:00:00:02
NicCreate: complete
<acropolis> net.list_vms vlan.10
VM UUID                               VM name  MAC address        IP address
<uuid:2>  a        <mac:1>  198.51.100.100
<uuid:3>  b        <mac:2>  198.51.100.101
$ acli --sandbox=<sandbox>/host3 net.list_vms vlan.10
VM UUID  VM name  MAC address  IP address
<acropolis> net.update vlan.10 vlan=20
vlan.10: complete
$ for h in 1 2 3; do acli --sandbox=<sandbox>/host$h net.list | tail -n 1; done
vlan.10       <uuid:1>  kBridged  20          198.51.100.0/24
vlan.10       <uuid:1>  kBridged  20          198.51.100.0/24
vlan.10       <uuid:1>  kBridged  20          198.51.100.0/24
<acropolis> -y net.delete vlan.10
Error: network vlan.10 is used by 1 NICs of 1 VMs (a); delete or move those NICs first
[exit 1]
<acropolis> -y vm.nic_delete a 50:6b:8d:00:00:01
NicDelete: complete
<acropolis> -y vm.nic_delete b 50:6b:8d:00:00:02
NicDelete: complete
<acropolis> -y net.delete vlan.10
vlan.10: complete
$ for h in 1 2 3; do acli --sandbox=<sandbox>/host$h net.list; done
Network name  Network UUID  Type  Identifier  Subnet
Network name  Network UUID  Type  Identifier  Subnet
Network name  Network UUID  Type  Identifier  Subnet
