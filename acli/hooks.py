"""Where the parts of acli plug into each other, and `lazy` references.

The VM commands know nothing of NICs or disks; networking and storage add
their behaviour to these lists when their command modules load. A hook is
registered as `lazy("module:function")` so that loading the command table
imports none of the code behind it: start-up time is a feature.
"""

from __future__ import annotations

import importlib

VM_CONFIG_PARTS: list = []      # fn(host, dom, xml_root) -> dict merged into vm.get's config
BEFORE_DELETE: list = []        # fn(host, dom) before a VM's domain is undefined
CLONE_DEVICE_HOOKS: list = []   # fn(host, source_dom, new_root_element, new_name)
AFTER_POWER: list = []          # fn(host, dom, action) after a power action succeeded
BEFORE_RESTORE: list = []       # fn(host, dom, snapshot_domain_root): raise to refuse a restore
AFTER_RESTORE: list = []        # fn(host, dom) after a snapshot was reverted to
SANDBOX_NODE_PARTS: list = []   # fn(sandbox_host) -> node-file XML for a fresh sandbox
SANDBOX_SETUP_STEPS: list = []  # fn(sandbox_host) once, when a sandbox is made


def lazy(target: str):
    """A callable standing for `module:function`, imported on first call."""
    module_name, _, name = target.partition(":")
    resolved = []

    def call(*args, **kwargs):
        if not resolved:
            resolved.append(getattr(importlib.import_module(module_name), name))
        return resolved[0](*args, **kwargs)

    call.__name__ = call.__qualname__ = target
    return call


def add(hook_list: list, target: str) -> None:
    """Register `module:function` once on `hook_list`."""
    if target not in [getattr(h, "__name__", None) for h in hook_list]:
        hook_list.append(lazy(target))
