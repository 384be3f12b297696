"""acli/selection.py: how every kind of entity is found from what a user
typed, and the one wording of a miss. Plain objects stand in for entities:
the rules are the same for VMs, networks, images, snapshots, switches
(transcripts/shell/references.t shows them on the sandbox)."""

from __future__ import annotations

from operator import attrgetter
from types import SimpleNamespace

import pytest

from acli.errors import Conflict, NotFound
from acli.selection import Kind, literal, select, select_one, split_reference

U1 = "0b6d6f0e-5f0c-4a57-a0a3-7f3d0e0d9b1a"
U2 = "5b1e4c1d-2a39-4a49-8a8e-1d4a3c1c4e2f"
U3 = "9f3a2b7c-6d5e-4f1a-9b8c-2e7d6c5b4a39"


def _things(*pairs):
    return [SimpleNamespace(name=name, uuid=uuid) for name, uuid in pairs]


def _kind(items, **extra):
    return Kind("VM", lambda _scope: items, name=attrgetter("name"), uuid=attrgetter("uuid"),
                **extra)


ITEMS = _things(("web1", U1), ("db 1", U2), (f"odd:{U1}", U3))


@pytest.mark.parametrize("fast_lookup", [False, True])
@pytest.mark.parametrize("text, name", [
    ("web1", "web1"), (U1, "web1"), (U1.upper(), "web1"), (f"web1:{U1}", "web1"),
    ("db 1", "db 1"), (f"db 1:{U2}", "db 1"),
    # the whole text is still a name when name:uuid does not fit
    (f"odd:{U1}", f"odd:{U1}"),
])
def test_name_uuid_and_name_colon_uuid_find_the_same_entity(text, name, fast_lookup):
    by_text = {t: item for item in ITEMS for t in (item.name, item.uuid)}
    extra = ({"lookup": lambda _scope, t: by_text.get(t) or by_text.get(t.lower())}
             if fast_lookup else {})
    assert select_one(_kind(ITEMS, **extra), None, text).name == name


def test_a_stale_name_colon_uuid_finds_nothing():
    # web1 was renamed web2: its old reference must not act on web2
    items = _things(("web2", U1))
    with pytest.raises(NotFound) as err:
        select_one(_kind(items), None, f"web1:{U1}", 9)
    assert err.value.message == f"Unknown name: web1:{U1}" and err.value.column == 9


def test_a_miss_says_unknown_name_and_the_nearest_name():
    with pytest.raises(NotFound) as err:
        select(_kind(ITEMS), None, [literal("web2", 8)])
    assert err.value.message == "Unknown name: web2 (did you mean web1?)"
    assert err.value.column == 8


def test_a_kind_without_uuids_finds_by_name():
    nics = Kind("host NIC", lambda _scope: _things(("eth0", None), ("eth1", None)),
                name=attrgetter("name"), uuid=None)
    assert select_one(nics, None, "eth1").name == "eth1"
    assert [n.name for n in select(nics, None, [literal("eth0"), literal("eth0")])] == ["eth0"]
    with pytest.raises(NotFound, match="^Unknown name: eth9 "):
        select_one(nics, None, "eth9")


def test_a_shared_name_asks_for_the_uuid():
    items = _things(("snap", U1), ("snap", U2))
    kind = Kind("snapshot", lambda _scope: items, name=attrgetter("name"),
                uuid=attrgetter("uuid"), id_word="ID")
    with pytest.raises(Conflict, match="2 snapshots are named snap; give its ID"):
        select_one(kind, None, "snap")
    assert select_one(kind, None, f"snap:{U2}").uuid == U2


@pytest.mark.parametrize("text, pair", [
    (f"web1:{U1}", ("web1", U1)), (f"a:b:{U1}", ("a:b", U1)),
    (U1, None), (f":{U1}", None), ("web1:", None), ("web1:x", None), ("web1", None),
])
def test_split_reference(text, pair):
    assert split_reference(text) == pair


def test_no_other_module_words_its_own_not_found():
    """Entities are found through selection only, so a miss has one wording."""
    import re
    from pathlib import Path

    import acli

    root = Path(acli.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.name != "selection.py"
                 and re.search(r"NotFound\(\s*f?[\"'][^\"']*not found", path.read_text())]
    assert offenders == []
