"""VMs: libvirt domains with aCLI's meaning."""
