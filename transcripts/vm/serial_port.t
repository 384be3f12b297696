# Serial ports: kServer is a pty the host serves (virsh console), kNull a
# port with nothing behind it; index 0..3 are the guest's COM1..COM4. QEMU
# cannot hot-plug one, so the VM must be off.
<acropolis> vm.create con1 memory=64M
con1: complete
<acropolis> vm.serial_port_create con1 type=kServer index=0
SerialPortCreate: complete
<acropolis> vm.serial_port_create con1 type=kNull index=1
SerialPortCreate: complete
<acropolis> vm.get con1
con1 {
  config {
    allow_live_migrate: True
    boot {
      uefi_boot: False
    }
    hwclock_timezone: "UTC"
    machine_type: "pc"
    max_hotplug_memory_mb: 64
    memory_mb: 64
    name: "con1"
    num_cores_per_vcpu: 1
    num_threads_per_core: 1
    num_vcpus: 1
    serial_port_list {
      index: 0
      type: "kServer"
    }
    serial_port_list {
      index: 1
      type: "kNull"
    }
    vga_console: False
    vm_type: "kGuestVM"
  }
  logical_timestamp: 3
  state: "kOff"
  uuid: "<uuid:1>"
}
<acropolis> -o json vm.get con1
{"data": {"<uuid:1>": {"config": {"allow_live_migrate": true, "boot": {"uefi_boot": false}, "hwclock_timezone": "UTC", "machine_type": "pc", "max_hotplug_memory_mb": 64, "memory_mb": 64, "name": "con1", "num_cores_per_vcpu": 1, "num_threads_per_core": 1, "num_vcpus": 1, "serial_port_list": [{"index": 0, "type": "kServer"}, {"index": 1, "type": "kNull"}], "vga_console": false, "vm_type": "kGuestVM"}, "logical_timestamp": 3, "state": "kOff", "uuid": "<uuid:1>"}}, "error": null, "status": 0}
<acropolis> vm.serial_port_create con1 type=kNull index=1
Error: con1 already has serial port 1
[exit 1]
<acropolis> vm.serial_port_create con1 type=kServer index=4
Error: Bad value for index: 4 is above the maximum 3 (column 47)
[exit 2]
<acropolis> vm.serial_port_create con1 type=kFile index=2
Error: Bad value for type: 'kFile' is not one of kServer, kNull (column 33)
[exit 2]
<acropolis> vm.serial_port_delete con1 index=3
Error: con1 has no serial port 3 (its ports: 0, 1)
[exit 1]
<acropolis> vm.on con1
con1: complete
<acropolis> vm.serial_port_delete con1 index=1
Error: VM is on; power it off to remove a serial port (QEMU cannot hot-plug one)
[exit 1]
<acropolis> vm.off con1
con1: complete
<acropolis> vm.serial_port_delete con1 index=1
SerialPortDelete: complete
$ acli vm.get con1 | grep -A3 serial_port_list
    serial_port_list {
      index: 0
      type: "kServer"
    }
