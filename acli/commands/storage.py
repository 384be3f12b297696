"""vm.disk_*, image.*, snapshot commands and containers: storage commands."""
