"""Storage: containers (libvirt storage pools), VM disks and CD-ROMs (volumes
attached to domains), images (volumes plus a small catalog) and snapshots
(libvirt internal domain snapshots). See docs/storage.md for the mapping."""
