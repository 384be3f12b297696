"""The hook plumbing: which device a VM's definition holds decides which
hooks run, so the test for an element must be exact."""

from __future__ import annotations

import pytest

from acli.vms.domxml import _has_element


@pytest.mark.parametrize("xml, tag, expected", [
    ("<domain><devices><disk type='file'/></devices></domain>", "disk", True),
    ("<domain><devices><disk/></devices></domain>", "disk", True),
    ("<domain><devices><disk>x</disk></devices></domain>", "disk", True),
    ("<domain><devices><disk\n type='file'/></devices></domain>", "disk", True),
    ("<domain><devices><diskette/></devices></domain>", "disk", False),
    ("<domain><devices><diskette/><disk/></devices></domain>", "disk", True),
    ("<domain><devices/></domain>", "interface", False),
    ("<domain><description>&lt;interface/&gt;</description></domain>", "interface", False),
    ("<domain><devices><interface type='bridge'/></devices></domain>", "interface", True),
    ("<domain><devices><disk", "disk", False),
])
def test_has_element(xml, tag, expected):
    assert _has_element(xml, tag) is expected
