"""Hosts acli drives: the embedded sandbox, or a real libvirt + OVSDB host."""
