"""A shortcut for the plain lines that make up most scripts.

Most lines a script holds are options, a command and arguments made of bare
words: `vm.on web01`, `-y vm.delete b0001`, `vm.create x memory=2G`. Reading
those needs no grammar, and the LALR parser spends about 55 µs a line on
them: a long batch pays more for parsing than for libvirt. This module reads
exactly that subset and returns None for anything else (quotes, brackets,
ranges, maps, comments, empty list items, `key=` with no value, stray `=`),
which the grammar then reads. A keyword's value may hold '=' (the first '='
of a word ends the key), as in the grammar. So the grammar stays the one definition of the
language: tests/test_fastpath.py checks that on every line this module
accepts, it builds what the grammar builds.
"""

from __future__ import annotations

from acli.syntax.words import BARE, Argument, ParsedLine, Piece, Value, Word

# The tests below use str methods, not regular expressions: compiling the
# four expressions they replace took a millisecond of every start-up.
#
# A bare word: printable (so no whitespace but the blanks it was split on,
# and no control characters), none of the characters with a meaning of their
# own, and in a comma list no empty item. A stricter test than the grammar's
# only sends more lines to the grammar; tests/test_fastpath.py checks that
# no line it accepts reads differently there.
_SPECIAL = frozenset("\"'=[]{}#")
_VALUE_SPECIAL = _SPECIAL - {"="}  # in a keyword's value '=' is a plain character
_YES = ("-y", "--yes")
_OUTPUT = ("-o", "--output")


def _plain(word: str, special: frozenset = _SPECIAL) -> bool:
    """A comma list of bare words (one word is a list of one), none of whose
    characters is in `special`."""
    return (word.isprintable() and special.isdisjoint(word)
            and not (word[0] == "," or word[-1] == "," or ",," in word))


def _name(word: str) -> bool:
    """[A-Za-z_][A-Za-z0-9_]*: a keyword's name, a part of a command's."""
    return word.isidentifier() and word.isascii()


def _command(word: str) -> bool:
    for part in word.split("."):
        if not (part.isidentifier() and part.isascii()):
            return False
    return True


# Command words and keyword names already found well formed: a script says
# vm.on and memory= again and again. One set per check: `vm.on` is a well
# formed command but not a keyword's name (`vm.on=x` is a mistake).
_KNOWN_COMMANDS: set = set()
_KNOWN_NAMES: set = set()
_KNOWN_MAX = 512


def _known(word: str, check, known: set) -> bool:
    if word in known:
        return True
    if not check(word):
        return False
    if len(known) < _KNOWN_MAX:
        known.add(word)
    return True


def plain_parts(text: str) -> tuple | None:
    """A plain line taken apart: (yes, output, output_column, command,
    command_column, args), each argument (key or None, value text, column of
    the argument, column of the value); None when the line is not plain and
    needs the grammar. `text` is a line with trailing blanks stripped."""
    # The grammar's blanks are spaces and tabs.
    words = (text.replace("\t", " ") if "\t" in text else text).split(" ")
    if "" in words:
        words = [w for w in words if w]
    count = len(words)
    yes, output, output_column = False, None, 0
    pos = 0  # where the next word starts looking: blanks alone lie between words
    i = 0
    word = words[0]
    while word[0] == "-":  # options, before the command
        pos = text.find(word, pos)
        if word in _YES:
            yes = True
        elif word in _OUTPUT:
            i += 1
            if i == count or not _plain(words[i]) or "," in words[i]:
                return None
            pos = text.find(words[i], pos + len(word))
            output, output_column = words[i], pos + 1
            word = words[i]
        else:
            return None
        pos += len(word)
        i += 1
        if i == count:
            return None
        word = words[i]
    if not _known(word, _command, _KNOWN_COMMANDS):
        return None
    pos = text.find(word, pos)
    command, command_column = word, pos + 1
    pos += len(word)
    args = []
    for word in words[i + 1:]:
        pos = text.find(word, pos)
        column = pos + 1
        pos += len(word)
        if "=" in word:
            key, _, value = word.partition("=")
            if not (value and _known(key, _name, _KNOWN_NAMES) and _plain(value, _VALUE_SPECIAL)):
                return None
            args.append((key, value, column, column + len(key) + 1))
        elif _plain(word):
            args.append((None, word, column, column))
        else:
            return None
    return yes, output, output_column, command, command_column, args


def parse_plain(source: str, text: str) -> ParsedLine | None:
    """The ParsedLine for `text` (a line with trailing blanks stripped, from
    `source`), or None when the line is not plain and needs the grammar."""
    parts = plain_parts(text)
    if parts is None:
        return None
    yes, output, output_column, command, command_column, args = parts
    return ParsedLine(source, command, command_column,
                      [_new(Argument, (key, plain_value(text, value_column), column))
                       for key, text, column, value_column in args],
                      yes, output, output_column)


# The word records are NamedTuples; tuple.__new__ builds one without the
# Python-level __new__ each class has (this runs for every word of a script).
_new = tuple.__new__


def plain_value(text: str, column: int) -> Value:
    """The Value of a comma list of bare words starting at `column`."""
    if "," not in text:  # one word: most values
        return _new(Value, ((_new(Word, ((_new(Piece, (BARE, text)),), column)),), column))
    items = []
    for part in text.split(","):
        items.append(_new(Word, ((_new(Piece, (BARE, part)),), column)))
        column += len(part) + 1
    return _new(Value, (tuple(items), items[0].column))
