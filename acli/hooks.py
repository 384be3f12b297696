"""Where the parts of acli plug into each other, and `lazy` references.

The VM commands know nothing of NICs or disks; networking and storage add
their behaviour to these lists when their command modules load. A hook is
registered as `lazy("module:function")` so that loading the command table
imports none of the code behind it: start-up time is a feature.

A hook on a VM may say which device it is about (`needs="interface"`): run()
then skips it, without importing it, for a VM whose definition has none. A
long batch of plain VMs so pays one XMLDesc a command, not one per hook.
"""

from __future__ import annotations

import importlib

VM_CONFIG_PARTS: list = []      # fn(host, dom, xml_root) -> dict merged into vm.get's config
BEFORE_DELETE: list = []        # fn(host, dom, definition) before a VM's domain is undefined
CLONE_DEVICE_HOOKS: list = []   # fn(host, source_dom, new_root_element, new_name)
AFTER_POWER: list = []          # fn(host, dom, definition, action) after a power action succeeded
BEFORE_RESTORE: list = []       # fn(host, dom, snapshot_domain_root): raise to refuse a restore
AFTER_RESTORE: list = []        # fn(host, dom) after a snapshot was reverted to
SANDBOX_NODE_PARTS: list = []   # fn(sandbox_host) -> node-file XML for a fresh sandbox
SANDBOX_SETUP_STEPS: list = []  # fn(sandbox_host) once, when a sandbox is made
SANDBOX_SETTLE: list = []       # fn(sandbox_host) before a command or batch ends: deferred work done


def lazy(target: str, needs: str | None = None):
    """A callable standing for `module:function`, imported on first call;
    `needs` is the element its VM must have for run() to call it."""
    module_name, _, name = target.partition(":")
    fn = None

    def call(*args, **kwargs):
        nonlocal fn
        if fn is None:
            fn = getattr(importlib.import_module(module_name), name)
        return fn(*args, **kwargs)

    call.__name__ = call.__qualname__ = target
    call.needs = needs
    return call


def add(hook_list: list, target: str, needs: str | None = None) -> None:
    """Register `module:function` once on `hook_list`."""
    if target not in [getattr(h, "__name__", None) for h in hook_list]:
        hook_list.append(lazy(target, needs))


def run(hook_list: list, host, dom, *args, definition: "Definition | None" = None) -> None:
    """Call every hook on `hook_list` for one VM as fn(host, dom, definition,
    *args), skipping those whose `needs` the definition lacks."""
    definition = definition or Definition(dom)
    for hook in hook_list:
        needs = hook.needs
        if needs is None or definition.has(needs):
            hook(host, dom, definition, *args)


class Definition:
    """One VM's stored domain XML, shared by the hooks around one command:
    read at most once, parsed into a tree only if a hook asks for it."""

    __slots__ = ("dom", "_xml", "_root", "_has")

    def __init__(self, dom):
        self.dom = dom
        self._xml = None
        self._root = None
        self._has = {}

    @property
    def xml(self) -> str:
        if self._xml is None:
            self._xml = _read_definition(self.dom)
        return self._xml

    @property
    def root(self):
        if self._root is None:
            import xml.etree.ElementTree as ET

            self._root = ET.fromstring(self.xml)
        return self._root

    def has(self, tag: str) -> bool:
        """Whether an element `tag` appears anywhere in the definition."""
        found = self._has.get(tag)
        if found is None:
            found = self._has[tag] = _has_element(self.xml, tag)
        return found


def _read_definition(dom) -> str:
    """vms.service.xml_of, imported on first use (this module loads with the
    command table; the VM code does not)."""
    global _read_definition
    from acli.vms.service import xml_of

    _read_definition = xml_of
    return xml_of(dom)


_AFTER_TAG = (" ", "\t", "\n", "\r", "/", ">")


def _has_element(xml: str, tag: str) -> bool:
    """`<tag` followed by a blank, `/` or `>` (so <disk is not <diskfoo).
    str.find, not a regex: it runs on the XML of every VM a batch deletes."""
    opening = "<" + tag
    at = xml.find(opening)
    while at >= 0:
        if xml[at + len(opening):at + len(opening) + 1] in _AFTER_TAG:
            return True
        at = xml.find(opening, at + 1)
    return False
