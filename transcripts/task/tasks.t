# Operations that take time print NAME: pending as they start and keep a
# task on their host (docs/tasks.md); quick ones print only their complete line.
<acropolis> vm.create web1 memory=64M
web1: complete
<acropolis> vm.disk_create web1 create_size=1G
DiskCreate: complete
<acropolis> vm.snapshot_create web1 snapshot_name_list=before
SnapshotCreate: pending
SnapshotCreate: complete
<acropolis> image.create tiny source_url=<sandbox>/media/tiny.qcow2
tiny: pending
tiny: complete
<acropolis> image.create golden clone_from_vmdisk=vm:web1:scsi.0
golden: pending
golden: complete
<acropolis> vm.disk_create web1 clone_from_vmdisk=vm:web1:scsi.0
DiskCreate: pending
DiskCreate: complete
<acropolis> task.list
Task UUID                             Parent Task UUID  Component  Sequence-id  Type             Status
<uuid:1>                    Acropolis  1            kSnapshotCreate  kSucceeded
<uuid:2>                    Acropolis  2            kImageCreate     kSucceeded
<uuid:3>                    Acropolis  3            kImageCreate     kSucceeded
<uuid:4>                    Acropolis  4            kVmDiskCreate    kSucceeded
<acropolis> task.list operation_type_list=kImageCreate
Task UUID                             Parent Task UUID  Component  Sequence-id  Type          Status
<uuid:2>                    Acropolis  2            kImageCreate  kSucceeded
<uuid:3>                    Acropolis  3            kImageCreate  kSucceeded
<acropolis> task.list operation_type_list=kVmMigrate
Task UUID  Parent Task UUID  Component  Sequence-id  Type  Status
<acropolis> task.list include_completed=false
Task UUID  Parent Task UUID  Component  Sequence-id  Type  Status
<acropolis> task.get <uuid:4>
<uuid:4> {
  complete_time_usecs: <time>
  component: "Acropolis"
  create_time_usecs: <time>
  entity_list {
    entity_id: "<uuid:5>"
    entity_name: "web1"
    entity_type: "kVM"
  }
  last_updated_time_usecs: <time>
  operation_type: "kVmDiskCreate"
  percentage_complete: 100
  sequence_id: 4
  start_time_usecs: <time>
  status: "kSucceeded"
  uuid: "<uuid:4>"
}
<acropolis> task.get <uuid:2>
<uuid:2> {
  complete_time_usecs: <time>
  component: "Acropolis"
  create_time_usecs: <time>
  entity_list {
    entity_id: "<uuid:6>"
    entity_name: "tiny"
    entity_type: "kImage"
  }
  last_updated_time_usecs: <time>
  operation_type: "kImageCreate"
  percentage_complete: 100
  sequence_id: 2
  start_time_usecs: <time>
  status: "kSucceeded"
  uuid: "<uuid:2>"
}
# Bad input is refused before the task starts: no pending line, no task.
<acropolis> vm.disk_create web1 clone_from_vmdisk=vm:web1:scsi.0 container=missing
Error: Unknown name: missing
[exit 1]
<acropolis> task.list operation_type_list=kVmDiskCreate
Task UUID                             Parent Task UUID  Component  Sequence-id  Type           Status
<uuid:4>                    Acropolis  4            kVmDiskCreate  kSucceeded
# Refusals.
<acropolis> task.list operation_type_list=kVmMigrat
Error: Bad value for operation_type_list: 'kVmMigrat' is not one of kImageCreate, kSnapshotCreate, kVmDiskCreate, kVmMigrate (did you mean kVmMigrate?) (column 31)
[exit 2]
<acropolis> task.get
Error: Missing argument: task (task.get task)
[exit 2]
<acropolis> task.get 0f0f0f0f-0000-4000-8000-000000000000
Error: Unknown name: <uuid:7>
[exit 1]
<acropolis> task.get web1
Error: Unknown name: web1
[exit 1]
