# The acli command: one argument holding blanks is a whole line; with several
# arguments, each is one word of the line, blanks and quotes included.
$ acli "vm.create web1 memory=64M"
web1: complete
$ acli vm.create "Prism Central" memory=64M
Prism Central: complete
$ acli vm.list
VM name        VM UUID
Prism Central  <uuid:1>
web1           <uuid:2>
$ acli vm.on "Prism Central"
Prism Central: complete
$ acli vm.get "Prism Central" | grep ' name:'
    name: "Prism Central"
# Globs, ranges and the commas of a list keep their meaning.
$ acli vm.off "Prism *"
Prism Central: complete
$ acli vm.create "app[1..2]" memory=64M
app1: complete
app2: complete
$ acli vm.on "web1,app1"
web1: complete
app1: complete
# A keyword's value is one word too; a list's items each one.
$ acli vm.update web1 "description=front end, v2"
web1: complete
$ acli vm.snapshot_create "Prism Central" "snapshot_name_list=before upgrade,after"
SnapshotCreate: pending
SnapshotCreate: complete
SnapshotCreate: complete
$ acli vm.snapshot_list "Prism Central"
Snapshot Name   Snapshot ID  Creation Time
before upgrade  <uuid:3>     <time>
after           <uuid:4>     <time>
$ acli -y snapshot.delete "before upgrade"
before upgrade: complete
# Quotes written for aCLI inside one argument are read as aCLI reads them.
$ acli vm.snapshot_create web1 'snapshot_name_list="before upgrade"'
SnapshotCreate: pending
SnapshotCreate: complete
$ acli 'vm.update web1 description="it is \"web\""'
web1: complete
$ acli vm.get web1 | grep description
    description: "it is \"web\""
# Refused: names one VM that is not there; two words where one is wanted.
$ acli vm.on "Prism"
Error: Unknown name: Prism
[exit 1]
$ acli vm.on Prism Central
Error: Unexpected argument 'Central' (vm.on takes vm_list)
[exit 2]
$ acli vm.create " padded" memory=64M
Error: Bad value for vm_list: ' padded' is not a valid VM name (printable text, no blanks at either end, no '/'; at most 64)
[exit 2]
$ acli vm.create "a/b" memory=64M
Error: Bad value for vm_list: 'a/b' is not a valid VM name (printable text, no blanks at either end, no '/'; at most 64)
[exit 2]
