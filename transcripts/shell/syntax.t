# Comments and blank lines are fine; errors name the word and its column.
<acropolis> # nothing to do
<acropolis> vm.list   # a trailing comment
VM name  VM UUID
<acropolis> vm.creat web1
Error: Unknown command: vm.creat (did you mean vm.create?) (column 1)
[exit 2]
<acropolis> vmm.list
Error: Unknown namespace: vmm (did you mean vm?) (column 1)
[exit 2]
<acropolis> vm.create web1 "unterminated
Error: unterminated quote (column 16)
[exit 2]
<acropolis> vm.create web1 memory= 2G
Error: Bad value for memory: no value after '=' (column 16)
[exit 2]
<acropolis> vm.list extra
Error: Unexpected argument 'extra' (vm.list takes no positional arguments) (column 9)
[exit 2]
<acropolis> vm.create web1 memory=1G memory=2G
Error: Keyword argument given twice: memory (column 26)
[exit 2]
<acropolis> vm.create web1 memory=1G,2G
Error: Bad value for memory: expects one value, got a list '1G,2G' (column 23)
[exit 2]
<acropolis> vm.create a[3..1]
Error: Bad value for vm_list: range [3..1] runs backwards (column 11)
[exit 2]
<acropolis> -o xml vm.list
Error: Unknown output format: xml (column 4)
[exit 2]
<acropolis> memory=2G
Error: unexpected '=' (write key=value with no spaces, after the command) (column 7)
[exit 2]
# The first '=' of a keyword ends its key; the rest of the word, '=' and all, is its value.
<acropolis> vm.create eq1 memory=64M description=role=db
eq1: complete
<acropolis> vm.get eq1
eq1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    description: "role=db"
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "eq1"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 1
  state: "kOff"
  uuid: "<uuid:1>"
}
<acropolis> vm.update eq1 description="tier=2, zone=a"
eq1: complete
<acropolis> vm.update eq1 description=tier=2,zone=a
Error: Bad value for description: expects one value, got a list 'tier=2,zone=a' (column 27)
[exit 2]
<acropolis> vm.create eq2 memory =64M
Error: unexpected '=' (write key=value with no spaces, after the command) (column 22)
[exit 2]
<acropolis> vm.create eq2 =64M
Error: unexpected '=' (write key=value with no spaces, after the command) (column 15)
[exit 2]
