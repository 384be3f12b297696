"""What is being typed: a small tokenizer over the text before the cursor.

Lark only knows complete tokens, so completion and colouring read the line
with this forgiving splitter instead (quotes may be open, a word may be half
typed). Whole lines are still validated by the real parser when run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Token:
    text: str  # as typed, quotes included
    start: int  # offset in the line


def split(text: str) -> list[Token]:
    """Words separated by unquoted blanks; an open quote runs to the end."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in " \t":
            i += 1
            continue
        if text[i] == "#":
            break
        start = i
        quote = None
        brace = 0
        while i < n:
            ch = text[i]
            if quote:
                if ch == "\\" and quote == '"' and i + 1 < n:
                    i += 1
                elif ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "{":
                brace += 1
            elif ch == "}":
                brace = max(0, brace - 1)
            elif ch in " \t" and not brace:
                break
            i += 1
        tokens.append(Token(text[start:i], start))
    return tokens


@dataclass
class Context:
    """Where the cursor stands in the line being typed."""

    command: str | None  # the command word, if complete
    words: list[Token]  # words before the one being typed (after the command)
    current: str  # the word being typed ('' after a blank)
    options_only: bool  # still before the command (options or the command itself)


def context(text_before_cursor: str) -> Context:
    tokens = split(text_before_cursor)
    ends_in_blank = not text_before_cursor or text_before_cursor[-1] in " \t"
    current = "" if ends_in_blank or not tokens else tokens[-1].text
    done = tokens if ends_in_blank else tokens[:-1]
    # skip leading options: -y, --yes, -o FORMAT
    i = 0
    while i < len(done) and done[i].text.startswith("-"):
        i += 2 if done[i].text in ("-o", "--output") else 1
    if i >= len(done):
        return Context(None, [], current, True)
    return Context(done[i].text, done[i + 1:], current, False)
