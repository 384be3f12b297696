"""net.* and vm.nic_*: networking commands."""
