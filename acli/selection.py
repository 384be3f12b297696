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
    """How one kind of entity is found within a scope (a host; for the
    snapshots of one VM, (host, VM)): `every(scope)` lists them all, in the
    order a listing shows them (globs keep it); `lookup(scope, text)`
    (optional) answers one name or UUID without a listing, or None; `name`
    and `uuid` read an entity (`uuid` None: the kind has none, host NICs);
    `owner` (optional) says where an entity lives, for the message when
    several share a name; `id_word` is what aCLI calls the UUID of this kind
    ("ID" for snapshots). Kinds are module constants: a selection of one
    name, most lines of a batch, builds nothing else."""

    __slots__ = ("label", "every", "lookup", "name", "uuid", "owner", "id_word")

    def __init__(self, label: str, every: Callable[..., Iterable], *, name: Callable,
                 uuid: Callable | None, lookup: Callable | None = None,
                 owner: Callable | None = None, id_word: str = "UUID"):
        self.label = label
        self.every = every
        self.lookup = lookup
        self.name = name
        self.uuid = uuid
        self.owner = owner
        self.id_word = id_word


def select(kind: Kind, scope, patterns) -> list:
    """The entities `patterns` name in `scope`, in the order named, each once.

    A literal is a UUID, a name (a name two entities share is a Conflict:
    give the UUID) or aCLI's `name:uuid`; a glob matches names and must
    match something, as in aCLI. Globs and misses list the entities once."""
    if len(patterns) == 1 and patterns[0].glob is None:  # one name: most lines
        return [_find(kind, scope, patterns[0], None)]
    listing = _Listing(kind, scope)
    chosen, seen = [], set()
    uuid_of = kind.uuid or kind.name
    for pat in patterns:
        if pat.glob is None:
            found = [_find(kind, scope, pat, listing)]
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


def select_one(kind: Kind, scope, text: str, column: int | None = None):
    """The one entity `text` names in `scope` (a name, UUID or name:uuid; no globs)."""
    return _find(kind, scope, literal(text, column), None)


class _Listing:
    """Every entity of a kind in a scope, listed at most once per selection."""

    __slots__ = ("kind", "scope", "_items")

    def __init__(self, kind: Kind, scope):
        self.kind = kind
        self.scope = scope
        self._items = None

    @property
    def items(self) -> list:
        if self._items is None:
            self._items = list(self.kind.every(self.scope))
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


def _find(kind: Kind, scope, pat: Pattern, listing: _Listing | None):
    text = pat.text
    if ":" in text:
        pair = split_reference(text)
        if pair is not None:
            # The UUID finds the entity; the name must be its name, so a stale
            # reference (renamed since) never acts on what it no longer names.
            # Otherwise the whole text may still be a name with a colon in it.
            listing = listing or _Listing(kind, scope)
            item = _one(kind, scope, pair[1], listing, pat.column)
            if item is not None and kind.name(item) == pair[0]:
                return item
    if kind.lookup is not None:  # VMs': what most lines of a script name
        item = kind.lookup(scope, text)
        if item is not None:
            return item
        listing = listing or _Listing(kind, scope)
    else:
        listing = listing or _Listing(kind, scope)
        item = _one(kind, scope, text, listing, pat.column)
        if item is not None:
            return item
    names = [kind.name(item) for item in listing.items]
    raise NotFound(f"Unknown name: {text}{suggest(text, names)}", pat.column)


def _one(kind: Kind, scope, text: str, listing: _Listing, column: int | None):
    """The entity whose UUID or name is `text`, or None; a name several
    entities share is a Conflict."""
    if kind.lookup is not None:
        return kind.lookup(scope, text)
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
