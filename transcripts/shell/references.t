# Every entity is named by its name, its UUID, or aCLI's name:uuid (what its
# completion writes). In name:uuid the UUID finds the entity and the name must
# be its name: a reference to a VM renamed since acts on nothing.
<acropolis> vm.create web1 memory=64M
web1: complete
<acropolis> vm.list
VM name  VM UUID
web1     <uuid:1>
<acropolis> vm.on web1:<uuid:1>
web1: complete
<acropolis> vm.off <uuid:1>,web1:<uuid:1>
web1: complete
<acropolis> vm.update web1:<uuid:1> name=web2
web1: complete
<acropolis> vm.on web1:<uuid:1>
Error: Unknown name: web1:<uuid:1> (column 7)
[exit 1]
<acropolis> vm.on web2:<uuid:1>
web2: complete
# A name that is not there is aCLI's "Unknown name", with the nearest name.
<acropolis> vm.off web3
Error: Unknown name: web3 (did you mean web2?) (column 8)
[exit 1]
<acropolis> vm.off web2:00000000-0000-4000-8000-000000000000
Error: Unknown name: web2:<uuid:2> (column 8)
[exit 1]
# Networks, images, containers, snapshots, virtual switches, the host: the same.
<acropolis> net.create vlan.10 vlan=10
vlan.10: complete
<acropolis> net.list
Network name  Network UUID                          Type      Identifier  Subnet
vlan.10       <uuid:3>  kBridged  10
<acropolis> net.update vlan.10:<uuid:3> annotation=lab
vlan.10: complete
<acropolis> net.update vlan.11:<uuid:3> annotation=lab
Error: Unknown name: vlan.11:<uuid:3>
[exit 1]
<acropolis> image.create tiny source_url=<sandbox>/media/tiny.qcow2
tiny: pending
tiny: complete
<acropolis> image.list
Image name  Image type  Image UUID
tiny        kDiskImage  <uuid:4>
<acropolis> image.update tiny:<uuid:4> annotation=small
tiny: complete
<acropolis> container.list
Container name     Max capacity (bytes)  Free space (bytes)  Provisioned (bytes)  Used (bytes)  Path                                   Container UUID
default-container  107374182400          107373985776        1073741824           196624        /sandbox/containers/default-container  <uuid:5>
<acropolis> vm.disk_create web2 clone_from_image=tiny:<uuid:4> container=default-container:<uuid:5>
DiskCreate: complete
<acropolis> vm.snapshot_create web2 snapshot_name_list="before upgrade"
SnapshotCreate: pending
SnapshotCreate: complete
<acropolis> snapshot.list
Snapshot Name   Snapshot ID  Creation Time  VM Name
before upgrade  <uuid:6>     <time>         web2
<acropolis> vm.restore web2 snapshot_name="before upgrade:<uuid:6>"
web2: complete
<acropolis> net.list_virtual_switch
Virtual switch name  Virtual switch UUID                   Bond type      MTU   Bridge  Uplinks
vs0                  <uuid:7>  kActiveBackup  1500  br0     eth0,eth1,eth2,eth3
<acropolis> net.update_virtual_switch vs0:<uuid:7> mtu=9000
vs0: complete
<acropolis> host.list
Hypervisor IP  Hypervisor DNS Name  Host UUID                             Node state       Schedulable  Hypervisor Type  CPUs  Memory MB  VMs  Connection
127.0.0.1      sandbox              <uuid:8>  AcropolisNormal  True         kKvm             16    65536      1    sandbox
<acropolis> net.list_host_nic sandbox:<uuid:8>
Name  MAC address        Link  Speed (Mbps)  MTU   Bridge  Bond
eth0  <mac:1>  up    10000         9000  br0     br0-up
eth1  <mac:2>  up    10000         9000  br0     br0-up
eth2  <mac:3>  up    10000         9000  br0     br0-up
eth3  <mac:4>  up    10000         9000  br0     br0-up
<acropolis> net.list_host_nic elsewhere
Error: Unknown name: elsewhere
[exit 1]
<acropolis> net.get_host_nic sandbox eth9
Error: Unknown name: eth9 (did you mean eth3?)
[exit 1]
