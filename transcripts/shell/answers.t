# A one-shot command whose stdin is not a terminal reads its answer there, as
# scripts expect (echo yes | acli ..., yes yes | acli ...), printing aCLI's
# question and the answer it read. Only yes goes ahead.
<acropolis> vm.create web1,web2,web3,web4 memory=64M
web1: complete
web2: complete
web3: complete
web4: complete
<acropolis> vm.disk_create web1 create_size=1G
DiskCreate: complete
<acropolis> vm.snapshot_create web1 snapshot_name_list="before upgrade"
SnapshotCreate: pending
SnapshotCreate: complete
$ echo yes | acli snapshot.delete "before upgrade"
Delete 1 snapshots? (yes/no) yes
before upgrade: complete
$ yes yes | acli vm.delete web2
Delete 1 VMs? (yes/no) yes
web2: complete
$ echo yes | acli vm.disk_delete web1 disk_addr=scsi.0
Delete existing disk? (yes/no) yes
DiskDelete: complete
# Anything else changes nothing and exits 1: no, y (what a bare `yes` says),
# and no answer at all.
$ echo no | acli vm.delete web3
Delete 1 VMs? (yes/no) no
Error: cancelled; nothing was changed
[exit 1]
$ yes | acli vm.delete web3
Delete 1 VMs? (yes/no) y
Error: cancelled; nothing was changed
[exit 1]
$ acli vm.delete web3 < /dev/null
Delete 1 VMs? (yes/no)
Error: Delete 1 VMs: no answer (the input ended); nothing was changed; add -y to skip the question
[exit 1]
<acropolis> vm.list
VM name  VM UUID
web1     <uuid:1>
web3     <uuid:2>
web4     <uuid:3>
# With JSON on stdout, the question goes to stderr.
$ echo yes | acli -o json vm.delete web3 2>/dev/null
{"data": [{"label": "web3", "status": "complete", "uuid": "<uuid:2>"}], "error": null, "status": 0}
# A batch reads its commands from stdin, so it takes no answers from there:
# without -y it refuses.
$ printf 'vm.delete web4\nyes\n' | acli
<stdin>:1: Delete 1 VMs: confirmation needed; add -y (no terminal to ask)
[exit 1]
<acropolis> vm.list
VM name  VM UUID
web1     <uuid:1>
web4     <uuid:3>
