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
