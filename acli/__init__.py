"""acli: the Nutanix Acropolis CLI language, run against plain KVM hosts."""

__version__ = "0.1.0"
