<acropolis> vm.list
VM name  VM UUID
<acropolis> vm.create b,a,c memory=64M
b: complete
a: complete
c: complete
<acropolis> vm.on a
a: complete
<acropolis> vm.list
VM name  VM UUID
a        <uuid:1>
b        <uuid:2>
c        <uuid:3>
<acropolis> vm.list power_state=on
VM name  VM UUID
a        <uuid:1>
<acropolis> vm.list power_state=off
VM name  VM UUID
b        <uuid:2>
c        <uuid:3>
<acropolis> vm.list power_state=up
Error: Bad value for power_state: 'up' is not one of on, off, paused, suspended (column 21)
[exit 2]
<acropolis> -o json vm.list power_state=on
{"data": [{"name": "a", "uuid": "<uuid:1>"}], "error": null, "status": 0}
<acropolis> -o json-pretty vm.list power_state=on
{
  "data": [
    {
      "name": "a",
      "uuid": "<uuid:1>"
    }
  ],
  "error": null,
  "status": 0
}
<acropolis> -o yaml vm.list
Error: Unknown output format: yaml (column 4)
[exit 2]
