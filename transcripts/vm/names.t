# VM names may hold blanks, as on AHV; in a line they are quoted.
<acropolis> vm.create "Windows 2012 R2","Prism Central" memory=64M
Windows 2012 R2: complete
Prism Central: complete
<acropolis> vm.list
VM name          VM UUID
Prism Central    <uuid:1>
Windows 2012 R2  <uuid:2>
<acropolis> vm.on "Prism Central"
Prism Central: complete
<acropolis> vm.update "Windows 2012 R2" name="Windows 2016"
Windows 2012 R2: complete
<acropolis> vm.list power_state=on
VM name        VM UUID
Prism Central  <uuid:1>
<acropolis> vm.clone "Prism Central 2" clone_from_vm="Prism Central"
Prism Central 2: complete
<acropolis> vm.off "Prism Central"
Prism Central: complete
# A name with blanks written bare is two words.
<acropolis> vm.off Prism Central
Error: Unexpected argument 'Central' (vm.off takes vm_list) (column 14)
[exit 2]
# Other printable text is a name too; a name is at most 64 characters, not
# padded with blanks, without '/' (libvirt's rule), and never shaped like a UUID.
<acropolis> vm.create "db (old) #2" memory=64M
db (old) #2: complete
<acropolis> vm.create " padded" memory=64M
Error: Bad value for vm_list: ' padded' is not a valid VM name (printable text, no blanks at either end, no '/'; at most 64) (column 11)
[exit 2]
<acropolis> vm.create "a/b" memory=64M
Error: Bad value for vm_list: 'a/b' is not a valid VM name (printable text, no blanks at either end, no '/'; at most 64) (column 11)
[exit 2]
<acropolis> vm.create "tab	in" memory=64M
Error: Bad value for vm_list: 'tab\tin' is not a valid VM name (printable text, no blanks at either end, no '/'; at most 64) (column 11)
[exit 2]
<acropolis> vm.update "db (old) #2" name="0b6d6f0e-5f0c-4a57-a0a3-7f3d0e0d9b1a"
Error: Bad value for name: '<uuid:3>' looks like a UUID; names may not (column 30)
[exit 2]
<acropolis> -y vm.delete "Windows 2016","db (old) #2","Prism Central 2"
Windows 2016: complete
db (old) #2: complete
Prism Central 2: complete
