"""Networking: virtual switches, bonds, VLAN networks and VM NICs (libvirt + OVSDB)."""
