"""Storage: containers, disks, CD-ROMs, images and snapshots (libvirt storage)."""
