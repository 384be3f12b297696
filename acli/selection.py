"""The one way acli finds existing entities from what a user typed: names,
UUIDs, `name:uuid`, globs and ranges, with one wording for "not found"
(aCLI's `Unknown name: X`, which scripts and Nutanix's own tests look for).

A Selector parameter (commands/types.py) turns each comma item of a line
into a Pattern (ranges are expanded there into plain names); every
namespace's service then calls select() with its own ways of listing and
reading its entities. Neutral ground: imports nothing of acli but errors
and names.
"""

from __future__ import annotations

from operator import itemgetter, methodcaller
from typing import Callable, Iterable

from acli.errors import Conflict, NotFound, suggest
from acli.names import is_uuid


class Pattern(tuple):
    """One selector item: a literal name or UUID (glob is None) or a glob.
    A tuple: built once for every name of every line."""

    __slots__ = ()

    def __new__(cls, glob: str | None, text: str, column: int | None):
        return tuple.__new__(cls, (glob, text, column))

    glob = property(itemgetter(0))
    text = property(itemgetter(1))
    column = property(itemgetter(2))

    def __repr__(self):
        return f"Pattern({self.text!r})"


def literal(text: str, column: int | None = None) -> Pattern:
    return Pattern(None, text, column)


# How to read a libvirt object (domain, network, pool): its name and UUID.
LIBVIRT_NAME = methodcaller("name")
LIBVIRT_UUID = methodcaller("UUIDString")


class Kind:
    """How one kind of entity is found: `every()` lists them all, in the order
    a listing shows them (globs keep it); `lookup(text)`
    (optional) answers one name or UUID without a listing, or None; `name`
    and `uuid` read an entity (`uuid` None: the kind has none, host NICs);
    `owner` (optional) says where an entity lives, for the message when
    several share a name; `id_word` is what aCLI calls the UUID of this kind
    ("ID" for snapshots)."""

    __slots__ = ("label", "every", "lookup", "name", "uuid", "owner", "id_word")

    def __init__(self, label: str, every: Callable[[], Iterable], *, name: Callable,
                 uuid: Callable | None, lookup: Callable | None = None,
                 owner: Callable | None = None, id_word: str = "UUID"):
        self.id_word = id_word
        self.label = label
        self.every = every
        self.lookup = lookup
        self.name = name
        self.uuid = uuid
        self.owner = owner


def select(kind: Kind, patterns) -> list:
    """The entities `patterns` name, in the order named, each once.

    A literal is a UUID or a name (a name two entities share is a Conflict:
    give the UUID); a glob matches names and must match something, as in
    aCLI. Globs and misses list the entities once."""
    if len(patterns) == 1 and patterns[0].glob is None:  # one name: most lines
        return [_find(kind, patterns[0], _Listing(kind))]
    listing = _Listing(kind)
    chosen, seen = [], set()
    uuid_of = kind.uuid or kind.name
    for pat in patterns:
        if pat.glob is None:
            found = [_find(kind, pat, listing)]
        else:
            found = listing.matching(pat.glob)
            if not found:
                raise NotFound(f"no {kind.label} matches {pat.text}", pat.column)
        for item in found:
            key = uuid_of(item)
            if key not in seen:
                seen.add(key)
                chosen.append(item)
    return chosen


def select_one(kind: Kind, text: str, column: int | None = None):
    """The one entity `text` names (a name or UUID; no globs)."""
    return _find(kind, literal(text, column), _Listing(kind))


class _Listing:
    """Every entity of a kind, listed at most once per selection."""

    __slots__ = ("kind", "_items")

    def __init__(self, kind: Kind):
        self.kind = kind
        self._items = None

    @property
    def items(self) -> list:
        if self._items is None:
            self._items = list(self.kind.every())
        return self._items

    def matching(self, glob: str) -> list:
        from fnmatch import fnmatchcase

        name_of = self.kind.name
        return [item for item in self.items if fnmatchcase(name_of(item), glob)]


def split_reference(text: str) -> tuple[str, str] | None:
    """aCLI's `name:uuid` form (what its completion writes) as (name, uuid);
    None for any other text."""
    name, colon, uuid = text.rpartition(":")
    if colon and name and is_uuid(uuid):
        return name, uuid
    return None


def _find(kind: Kind, pat: Pattern, listing: _Listing):
    text = pat.text
    pair = split_reference(text) if ":" in text else None
    if pair is not None:
        # The UUID finds the entity; the name must be its name, so a stale
        # reference (renamed since) never acts on what it no longer names.
        # Otherwise the whole text may still be a name with a colon in it.
        item = _one(kind, pair[1], listing, pat.column)
        if item is not None and kind.name(item) == pair[0]:
            return item
    lookup = kind.lookup  # VMs': what most lines of a script name
    item = lookup(text) if lookup is not None else _one(kind, text, listing, pat.column)
    if item is not None:
        return item
    names = [kind.name(item) for item in listing.items]
    raise NotFound(f"Unknown name: {text}{suggest(text, names)}", pat.column)


def _one(kind: Kind, text: str, listing: _Listing, column: int | None):
    """The entity whose UUID or name is `text`, or None; a name several
    entities share is a Conflict."""
    if kind.lookup is not None:
        return kind.lookup(text)
    items = listing.items
    if kind.uuid is not None and is_uuid(text):
        wanted = text.lower()
        for item in items:
            if kind.uuid(item).lower() == wanted:
                return item
    named = [item for item in items if kind.name(item) == text]
    if len(named) > 1:
        where = f" ({', '.join(sorted(kind.owner(i) for i in named))})" if kind.owner else ""
        raise Conflict(f"{len(named)} {kind.label}s are named {text}{where}; "
                       f"give its {kind.id_word}", column)
    return named[0] if named else None
