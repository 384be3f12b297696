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
    order a listing shows them (globs keep it), or in no particular order
    with `order`, a key that puts the entities a glob matched in that order
    (sorting a glob's matches costs less than sorting all); `lookup(scope,
    text)` (optional) answers one name or UUID without a listing, or None;
    `name` and `uuid` read an entity (`uuid` None: the kind has none, host
    NICs); `owner` (optional) says where an entity lives, for the message
    when several share a name; `id_word` is what aCLI calls the UUID of this
    kind ("ID" for snapshots). Kinds are module constants: a selection of
    one name, most lines of a batch, builds nothing else."""

    __slots__ = ("label", "every", "lookup", "name", "uuid", "owner", "id_word", "order")

    def __init__(self, label: str, every: Callable[..., Iterable], *, name: Callable,
                 uuid: Callable | None, lookup: Callable | None = None,
                 owner: Callable | None = None, id_word: str = "UUID",
                 order: Callable | None = None):
        self.label = label
        self.every = every
        self.lookup = lookup
        self.name = name
        self.uuid = uuid
        self.owner = owner
        self.id_word = id_word
        self.order = order


# A kind with a lookup() finds up to this many names one lookup each (one
# round trip, ~0.15 ms, however many entities there are); more names, or
# any glob, are found in one listing (one call, ~20 us an entity on the
# host): `vm.on web[0001..1000]` is then one call, not a thousand.
LOOKUPS_BEFORE_LISTING = 16


def select(kind: Kind, scope, patterns) -> list:
    """The entities `patterns` name in `scope`, in the order named, each once.

    A literal is a UUID, a name (a name two entities share is a Conflict:
    give the UUID) or aCLI's `name:uuid`; a glob matches names and must
    match something, as in aCLI. Globs, many names and misses list the
    entities once."""
    if len(patterns) == 1 and patterns[0].glob is None:  # one name: most lines
        return [_find(kind, scope, patterns[0], None)]
    listing = _Listing(kind, scope)
    if len(patterns) > LOOKUPS_BEFORE_LISTING or any(p.glob is not None for p in patterns):
        listing.load()  # every name is then found in it
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
    """Every entity of a kind in a scope, listed at most once per selection,
    with indexes by name and UUID made on first use."""

    __slots__ = ("kind", "scope", "_items", "_by_name", "_by_uuid")

    def __init__(self, kind: Kind, scope):
        self.kind = kind
        self.scope = scope
        self._items = None
        self._by_name = None
        self._by_uuid = None

    def load(self) -> None:
        if self._items is None:
            self._items = list(self.kind.every(self.scope))

    @property
    def loaded(self) -> bool:
        return self._items is not None

    @property
    def items(self) -> list:
        self.load()
        return self._items

    def named(self, name: str) -> list:
        if self._by_name is None:
            self._by_name = {}
            name_of = self.kind.name
            for item in self.items:
                self._by_name.setdefault(name_of(item), []).append(item)
        return self._by_name.get(name, [])

    def with_uuid(self, uuid: str):
        if self.kind.uuid is None:
            return None
        if self._by_uuid is None:
            uuid_of = self.kind.uuid
            self._by_uuid = {uuid_of(item).lower(): item for item in self.items}
        return self._by_uuid.get(uuid.lower())

    def matching(self, glob: str) -> list:
        from fnmatch import fnmatchcase

        name_of = self.kind.name
        found = [item for item in self.items if fnmatchcase(name_of(item), glob)]
        if self.kind.order is not None:
            found.sort(key=self.kind.order)
        return found


def split_reference(text: str) -> tuple[str, str] | None:
    """aCLI's `name:uuid` form (what its completion writes) as (name, uuid);
    None for any other text."""
    name, colon, uuid = text.rpartition(":")
    if colon and name and is_uuid(uuid):
        return name, uuid
    return None


def _find(kind: Kind, scope, pat: Pattern, listing: _Listing | None):
    text = pat.text
    listing = listing or _Listing(kind, scope)
    if ":" in text:
        pair = split_reference(text)
        if pair is not None:
            # The UUID finds the entity; the name must be its name, so a stale
            # reference (renamed since) never acts on what it no longer names.
            # Otherwise the whole text may still be a name with a colon in it.
            item = _one(kind, scope, pair[1], listing, pat.column)
            if item is not None and kind.name(item) == pair[0]:
                return item
    item = _one(kind, scope, text, listing, pat.column)
    if item is not None:
        return item
    names = [kind.name(item) for item in listing.items]
    raise NotFound(f"Unknown name: {text}{suggest(text, names)}", pat.column)


def _one(kind: Kind, scope, text: str, listing: _Listing, column: int | None):
    """The entity whose UUID or name is `text`, or None; a name several
    entities share is a Conflict. Looked up alone while nothing is listed
    (most lines name one VM), else found in the listing."""
    if kind.lookup is not None and not listing.loaded:
        return kind.lookup(scope, text)
    if is_uuid(text):
        item = listing.with_uuid(text)
        if item is not None:
            return item
    named = listing.named(text)
    if len(named) > 1:
        where = f" ({', '.join(sorted(kind.owner(i) for i in named))})" if kind.owner else ""
        raise Conflict(f"{len(named)} {kind.label}s are named {text}{where}; "
                       f"give its {kind.id_word}", column)
    return named[0] if named else None
