"""Parameter types: each turns a parsed Value into a Python value or raises
UsageError naming the parameter and the column of the bad word.

A type also says how it reads in help (`shape`) and what completion can
offer for it (`choices`, or `entity` for names that live on the host).
"""

from __future__ import annotations

import re

from acli.errors import UsageError, suggest
from acli.limits import MAX_LIST, MAX_NEW_NAMES, MAX_TEXT
from acli.names import check_name, check_snapshot_name
from acli.selection import Pattern
from acli.syntax.fastpath import plain_value
from acli.syntax.words import MapValue, Value, Word

# K/M/G/T in either case, then optionally iB or B: 2G, 4096M, 25GiB, 1TB.
# A lowercase b (bits) is refused.
_SIZE_RE = re.compile(r"(\d+)\s*([KMGTkmgt]?)(iB|B)?")
_UNIT_SHIFT = {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}
# Compiled by re on first use (each compile costs start-up a few tenths of a ms):
_MAC = r"[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}"
TRUE_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _fail(param: str, item, problem: str) -> UsageError:
    return UsageError(f"Bad value for {param}: {problem}", getattr(item, "column", None))


def _single(param: str, value: Value) -> Word:
    if len(value.items) != 1:
        raise _fail(param, value, f"expects one value, got a list '{value.text}'")
    item = value.items[0]
    if isinstance(item, MapValue):
        raise _fail(param, item, "expects a plain value, not a map")
    return item


class ParamType:
    shape = "VALUE"
    choices: tuple[str, ...] = ()
    entity: str | None = None  # kind of host entity completion offers

    def show(self, value) -> str:
        """A default value as a user would write it."""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def convert(self, param: str, value: Value):
        return self.convert_word(param, _single(param, value))

    def convert_text(self, param: str, text: str, column: int):
        """convert() for a value written in bare words (`text`, a plain
        line's), built as the grammar builds it: the same rules, the same
        answer. Types that are asked often answer plain names directly."""
        return self.convert(param, plain_value(text, column))

    def convert_word(self, param: str, word: Word):
        raise NotImplementedError


class Str(ParamType):
    shape = "STRING"

    def convert_word(self, param, word):
        text = word.text
        if len(text) > MAX_TEXT:
            raise _fail(param, word, f"{len(text):,} characters; a value holds at most {MAX_TEXT:,}")
        return text


class Int(ParamType):
    def __init__(self, minimum: int | None = None, maximum: int | None = None):
        self.minimum, self.maximum = minimum, maximum
        lo = "" if minimum is None else str(minimum)
        hi = "" if maximum is None else str(maximum)
        self.shape = f"INT[{lo}..{hi}]" if (lo or hi) else "INT"

    def convert_word(self, param, word):
        text = word.text
        if not re.fullmatch(r"-?\d+", text):
            raise _fail(param, word, f"'{text}' is not a whole number")
        number = int(text)
        if self.minimum is not None and number < self.minimum:
            raise _fail(param, word, f"{number} is below the minimum {self.minimum}")
        if self.maximum is not None and number > self.maximum:
            raise _fail(param, word, f"{number} is above the maximum {self.maximum}")
        return number


class Bool(ParamType):
    shape = "true|false"
    choices = ("true", "false")

    def convert_word(self, param, word):
        found = TRUE_WORDS.get(word.text.lower())
        if found is None:
            raise _fail(param, word, f"'{word.text}' is not true or false")
        return found


class Size(ParamType):
    """A byte count written as an integer and a binary unit: 2G, 4096M, 25GiB.

    A bare number is read in `bare_unit` (MiB for memory, as aCLI does)."""

    shape = "SIZE"

    def __init__(self, bare_unit: str = "", minimum: int = 1, maximum: int | None = None,
                 multiple: int = 1):
        self.bare_unit, self.minimum, self.maximum = bare_unit, minimum, maximum
        self.multiple = multiple

    def show(self, value) -> str:
        for unit in "TGMK":
            shift = _UNIT_SHIFT[unit]
            if value >= 1 << shift and value % (1 << shift) == 0:
                return f"{value >> shift}{unit}"
        return str(value)

    def convert_word(self, param, word):
        m = _SIZE_RE.fullmatch(word.text)
        if not m:
            raise _fail(param, word, f"'{word.text}' is not a size (use a number and K, M, G or T, e.g. 2G)")
        unit = m.group(2).upper() if m.group(2) else self.bare_unit
        if m.group(3) and not m.group(2):
            unit = ""
        size = int(m.group(1)) << _UNIT_SHIFT[unit]
        if size < self.minimum:
            raise _fail(param, word, f"'{word.text}' is below the minimum {self.show(self.minimum)}")
        if self.maximum is not None and size > self.maximum:
            raise _fail(param, word, f"'{word.text}' is above the maximum {self.show(self.maximum)}")
        if size % self.multiple:
            raise _fail(param, word, f"'{word.text}' is not a whole number of {self.show(self.multiple)}")
        return size


class Enum(ParamType):
    def __init__(self, *choices: str):
        self.choices = choices
        self.shape = "|".join(choices)
        self._folded = {c.lower(): c for c in choices}

    def convert_word(self, param, word):
        if word.text in self.choices:
            return word.text
        found = self._folded.get(word.text.lower())
        if found:
            return found
        raise _fail(param, word,
                    f"'{word.text}' is not one of {', '.join(self.choices)}{suggest(word.text, self.choices)}")


class Mac(ParamType):
    shape = "MAC"

    def convert_word(self, param, word):
        if not re.fullmatch(_MAC, word.text):
            raise _fail(param, word, f"'{word.text}' is not a MAC address like 50:6b:8d:01:02:03")
        return word.text.lower()


class IPv4(ParamType):
    shape = "IPV4"

    def convert_word(self, param, word):
        import ipaddress

        try:
            return str(ipaddress.IPv4Address(word.text))
        except ValueError:
            raise _fail(param, word, f"'{word.text}' is not an IPv4 address") from None


class Cidr(ParamType):
    """gateway/prefix as aCLI writes ip_config: 10.1.1.1/24 (host bits allowed)."""

    shape = "IPV4/PREFIX"

    def convert_word(self, param, word):
        import ipaddress

        try:
            iface = ipaddress.IPv4Interface(word.text)
        except ValueError:
            raise _fail(param, word, f"'{word.text}' is not an address/prefix like 10.1.1.1/24") from None
        if "/" not in word.text:
            raise _fail(param, word, f"'{word.text}' has no /prefix")
        return iface


def _one_name(text: str) -> bool:
    """Bare words that are one name: no list, no glob, no range (what most values are)."""
    return "," not in text and "*" not in text and "?" not in text and "[" not in text


class Name(ParamType):
    """A new entity's name, checked by `check` (acli/names.py): by default
    letters, digits and _ . + - (no spaces, no globs); a VM's may hold blanks."""

    shape = "NAME"

    def __init__(self, check=check_name):
        self.check = check

    def convert_word(self, param, word):
        return self.check(param, word.text, word.column)


class SnapshotName(ParamType):
    """A new snapshot's name (names.check_snapshot_name): may hold blanks."""

    shape = "STRING"

    def convert_word(self, param, word):
        return check_snapshot_name(param, word.text, word.column)


class EntityRef(ParamType):
    """An existing entity, by name or UUID; looked up later by the service."""

    def __init__(self, kind: str):
        self.entity = kind
        self.shape = kind.upper()

    def convert_word(self, param, word):
        return word.text


class ListOf(ParamType):
    def __init__(self, item: ParamType, *, unique: bool = True, most: int = MAX_LIST):
        self.item, self.unique, self.most = item, unique, most
        self.shape = f"{item.shape},..."
        self.choices, self.entity = item.choices, item.entity

    def convert(self, param, value):
        if len(value.items) > self.most:
            raise _fail(param, value, f"{len(value.items):,} items; at most {self.most:,}")
        out, seen = [], set()  # a set: a list of every VLAN is 4,094 items
        for item in value.items:
            if isinstance(item, MapValue):
                raise _fail(param, item, "expects a list, not a map")
            converted = self.item.convert_word(param, item)
            if self.unique:
                if converted in seen:
                    raise _fail(param, item, f"'{item.text}' is listed twice")
                seen.add(converted)
            out.append(converted)
        return out


class NewNames(ParamType):
    """Names for entities about to be made: a list, each item may hold
    ranges; each name checked by `check` (acli/names.py)."""

    def __init__(self, kind: str, check=check_name):
        self.kind = kind
        self.check = check
        self.shape = "NAME[,NAME...] (ranges like web[01..12])"

    def convert_text(self, param, text, column):
        if _one_name(text):
            return [self.check(param, text, column)]
        return self.convert(param, plain_value(text, column))

    def convert(self, param, value):
        names: list[str] = []
        for item in value.items:
            if isinstance(item, MapValue) or item.is_glob:
                raise _fail(param, item, f"'{item.text}' is a pattern; new {self.kind} names must be plain")
            try:
                expanded = item.expand()
            except ValueError as err:
                raise _fail(param, item, str(err)) from None
            if len(names) + len(expanded) > MAX_NEW_NAMES:
                raise _fail(param, item, f"more than {MAX_NEW_NAMES:,} new {self.kind}s; "
                                         "one command makes at most that many")
            seen = set(names)
            for name in expanded:
                self.check(param, name, item.column)
                if name in seen:
                    raise _fail(param, item, f"'{name}' is named twice")
                seen.add(name)
                names.append(name)
        return names


class Selector(ParamType):
    """Existing entities: names, UUIDs and globs (web*, db[0-9]), comma separated.

    Returns a list of (text, is_glob, column); the service resolves them,
    failing on a glob that matches nothing."""

    def __init__(self, kind: str):
        self.entity = kind
        self.shape = f"{kind.upper()}[,...] or a glob"

    def convert_text(self, param, text, column):
        if _one_name(text):
            return [_new(Pattern, (None, text, column))]
        return self.convert(param, plain_value(text, column))

    def convert(self, param, value):
        out = []
        for item in value.items:
            if isinstance(item, MapValue):
                raise _fail(param, item, "expects names, not a map")
            if item.is_glob:
                out.append(_new(Pattern, (item.glob_pattern(), item.text, item.column)))
            elif item.has_range:  # web[01..03]: three names
                try:
                    names = item.expand()
                except ValueError as err:
                    raise _fail(param, item, str(err)) from None
                out += [_new(Pattern, (None, name, item.column)) for name in names]
            else:
                out.append(_new(Pattern, (None, item.text, item.column)))
        return out


_new = tuple.__new__  # a Pattern without a Python-level __new__ call


class MapType(ParamType):
    """{key:value; key:value}, written bare or inside quotes."""

    shape = "{KEY:VALUE; ...}"

    def convert(self, param, value):
        item = value.items[0] if len(value.items) == 1 else None
        if isinstance(item, MapValue):
            return dict(item.pairs)
        text = value.text.strip()
        if not (text.startswith("{") and text.endswith("}")):
            raise _fail(param, value, f"'{text}' is not a map like {{host1:eth2; host2:eth3}}")
        pairs = {}
        for part in filter(None, (p.strip() for p in text[1:-1].split(";"))):
            key, sep, val = part.partition(":")
            if not sep or not key.strip() or not val.strip():
                raise _fail(param, value, f"'{part}' is not key:value")
            pairs[key.strip()] = val.strip()
        return pairs


class KeyValues(ParamType):
    """aCLI's `extra_flags=key=value;key2=value2`: the first `=` of each pair
    splits key from value; an empty value (`key=`) stands for removing the
    key. Keys are letters, digits and _ . -; values printable text."""

    shape = "KEY=VALUE[;KEY=VALUE...]"

    def convert_word(self, param, word):
        text = word.text
        if len(text) > MAX_TEXT:
            raise _fail(param, word, f"{len(text):,} characters; a value holds at most {MAX_TEXT:,}")
        pairs: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in text.split(";"))):
            key, sep, value = part.partition("=")
            if not sep or not re.fullmatch(r"[A-Za-z0-9_.\-]+", key):
                raise _fail(param, word, f"'{part}' is not key=value (a key is letters, digits, "
                                         "_ . -)")
            if not value.isprintable():
                raise _fail(param, word, f"the value of {key} is not printable text")
            if key in pairs:
                raise _fail(param, word, f"{key} is given twice")
            pairs[key] = value
        if not pairs:
            raise _fail(param, word, "no key=value pair")
        return pairs
