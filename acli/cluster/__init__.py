"""The cluster as one: VMs found on whichever host holds them, placement,
migration, maintenance, affinity and VM groups, and the objects (networks)
every host holds the same."""
