# hosts: 3
# Virtual switches are every host's: made, changed and deleted on each, with
# each host's own uplinks (host_uplink_config); every host is checked before
# the first changes.
<acropolis> net.update_virtual_switch vs0 uplinks=eth0,eth1
vs0: complete
<acropolis> net.create_virtual_switch vs1 host_uplink_config={host1:eth2,eth3; host2:eth2,eth3; host3:eth3}
vs1: complete
$ for h in 1 2 3; do acli --sandbox=<sandbox>/host$h net.list_virtual_switch | tail -n 1 | tr -s ' ' | cut -d' ' -f1,5,6; done
vs1 br1 eth2,eth3
vs1 br1 eth2,eth3
vs1 br1 eth3
<acropolis> net.create_virtual_switch vs2 host_uplink_config={host1:eth2; host2:eth2; host3:eth2}
Error: host host1: eth2 is already an uplink of br1 (br1-up); take it off that switch first
[exit 1]
<acropolis> net.create_virtual_switch vs2 host_uplink_config={host1:eth2; host9:eth2}
Error: host host1: Bad value for host_uplink_config: unknown host host9
[exit 2]
<acropolis> net.create_virtual_switch vs3 uplinks=eth9
Error: host host1: Unknown name: eth9 (did you mean eth3?)
[exit 1]
$ for h in 1 2 3; do acli --sandbox=<sandbox>/host$h net.list_virtual_switch | tail -n +2 | cut -d' ' -f1; done
vs0
vs1
vs0
vs1
vs0
vs1
<acropolis> net.create vlan.30 vlan=30 virtual_switch=vs1
vlan.30: complete
<acropolis> net.delete_virtual_switch vs1
Error: host host1: vs1 is used by 1 networks (vlan.30); delete them first
[exit 1]
<acropolis> -y net.delete vlan.30
vlan.30: complete
<acropolis> -y net.delete_virtual_switch vs1
vs1: complete
$ for h in 1 2 3; do acli --sandbox=<sandbox>/host$h net.list_virtual_switch | tail -n +2 | cut -d' ' -f1; done
vs0
vs0
vs0
