# hosts: 3
# Migrations and evacuations are tasks: each VM's says pending as it starts,
# and is kept on the host it left; task.list asks every host at once.
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
<acropolis> vm.migrate a,b host=host3
a: pending
b: pending
a: complete
b: complete
<acropolis> host.enter_maintenance_mode host3
a: pending
b: pending
a: complete
b: complete
host3: complete
note: a: migrated to host1
note: b: migrated to host2
<acropolis> task.list
Task UUID                             Parent Task UUID  Component  Sequence-id  Type        Status
<uuid:1>                    Acropolis  1            kVmMigrate  kSucceeded
<uuid:2>                    Acropolis  1            kVmMigrate  kSucceeded
<uuid:3>                    Acropolis  1            kVmMigrate  kSucceeded
<uuid:4>                    Acropolis  2            kVmMigrate  kSucceeded
<acropolis> task.list operation_type_list=kVmMigrate include_completed=false
Task UUID  Parent Task UUID  Component  Sequence-id  Type  Status
<acropolis> task.get <uuid:3>
<uuid:3> {
  complete_time_usecs: <time>
  component: "Acropolis"
  create_time_usecs: <time>
  entity_list {
    entity_id: "<uuid:5>"
    entity_name: "a"
    entity_type: "kVM"
  }
  host_name: "host3"
  last_updated_time_usecs: <time>
  operation_type: "kVmMigrate"
  percentage_complete: 100
  sequence_id: 1
  start_time_usecs: <time>
  status: "kSucceeded"
  uuid: "<uuid:3>"
}
