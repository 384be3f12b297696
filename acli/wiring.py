"""Every hook registration of acli, in one place: which function of
networking and storage runs at which point of the VM and sandbox code.

A registration names its function as "module:function" (imported on first
call: loading the command table loads none of it). Grep a function's name
to find where it is wired; grep a point's name to find where it is
declared, run and wired. A test checks each function takes exactly its
point's event.
"""

from __future__ import annotations

from acli.hosts import events as host
from acli.vms import events as vm

# vm.get's device lists
vm.CONFIG_PARTS.add("acli.network.nicservice:config_parts")
vm.CONFIG_PARTS.add("acli.storage.records:vm_config_parts")
vm.CONFIG_PARTS.add("acli.cluster.affinity:config_parts")
vm.CONFIG_PARTS.add("acli.cluster.ha:config_parts")

# a clone's devices: fresh NIC identities, own copies of disks
vm.CLONE_DEVICES.add("acli.network.nicservice:clone_hook")
vm.CLONE_DEVICES.add("acli.storage.diskcopy:clone_disks")

# the sandbox's ports follow power; a deleted VM frees ports, addresses, volumes
vm.AFTER_POWER.add("acli.network.hooks:note_power_change")
vm.BEFORE_DELETE.add("acli.network.hooks:forget_power_change")
vm.BEFORE_DELETE.add("acli.network.sandbox_ports:before_delete", needs="interface")
vm.BEFORE_DELETE.add("acli.network.ipam_service:before_vm_delete", needs="interface")
vm.BEFORE_DELETE.add("acli.storage.hooks:before_vm_delete")

# a restore's NIC checks and re-tagging
vm.BEFORE_RESTORE.add("acli.network.nicservice:before_restore")
vm.AFTER_RESTORE.add("acli.network.nicservice:after_restore")

# a managed network's DHCP server follows its definition (hosts that run them)
host.NETWORKS_CHANGED.add("acli.network.dhcp_server:networks_changed")

# what a fresh sandbox has, and the port work it defers
host.NODE_PARTS.add("acli.network.sandbox_setup:node_part")
host.NODE_PARTS.add("acli.storage.pools:sandbox_initial_pool")
host.SETUP.add("acli.storage.sandbox_media:write_media")
host.FRESH_OVSDB.add("acli.network.sandbox_setup:fresh_ovsdb")
host.SETTLE.add("acli.network.sandbox_ports:settle")
host.SETTLE.add("acli.vms.logical_timestamp:settle")
host.RESYNC.add("acli.network.sandbox_ports:resync")
