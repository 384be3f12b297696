# vm.force_off powers VMs off at once, whatever they are doing (libvirt
# destroy), as vm.off does; off already is no error.
<acropolis> vm.create fo1,fo2 memory=64M
fo1: complete
fo2: complete
<acropolis> vm.on fo*
fo1: complete
fo2: complete
<acropolis> vm.pause fo2
fo2: complete
<acropolis> vm.force_off fo*
fo1: complete
fo2: complete
<acropolis> vm.list power_state=on
VM name  VM UUID
<acropolis> vm.force_off fo1
fo1: complete
<acropolis> -o json vm.force_off fo1
{"data": [{"label": "fo1", "status": "complete", "uuid": "<uuid:1>"}], "error": null, "status": 0}
<acropolis> vm.force_off nope
Error: Unknown name: nope (column 14)
[exit 1]
# vm.delete delete_snapshots=true deletes the VM's snapshots with it (what
# vm.delete does anyway: libvirt keeps a VM's snapshots with the VM).
# delete_snapshots=false cannot keep them, so a VM that has any is refused,
# and nothing is deleted.
<acropolis> vm.snapshot_create fo1 snapshot_name_list=before
SnapshotCreate: pending
SnapshotCreate: complete
<acropolis> -y vm.delete fo* delete_snapshots=false
Error: cannot keep the snapshots of a deleted VM (libvirt keeps them with the VM): fo1 has 1 snapshots; give delete_snapshots=true, or clone from them first
[exit 1]
<acropolis> vm.list
VM name  VM UUID
fo1      <uuid:1>
fo2      <uuid:2>
<acropolis> -y vm.delete fo2 delete_snapshots=false
fo2: complete
<acropolis> -y vm.delete fo1 delete_snapshots=true
fo1: complete
<acropolis> snapshot.list
Snapshot Name  Snapshot ID  Creation Time  VM Name
<acropolis> vm.delete fo1 delete_snapshots=maybe
Error: Bad value for delete_snapshots: 'maybe' is not true or false (column 32)
[exit 2]
