"""What acli may repeat of a user's text: in messages, in the shell's
history, in what it stores about an image.

A message is one line; a word in it is shown whole only up to
MAX_ECHOED_WORD characters (a 1 MB word is shortened and its length said);
a URL loses its `user:password@` part wherever it appears, so a password
given in a source URL is never printed, logged or stored.
"""

from __future__ import annotations

MAX_ECHOED_WORD = 200
_KEPT = 60  # characters shown of a word that is too long

# scheme://userinfo@ : compiled on first use (most text holds no URL)
_USERINFO = r"\b([A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@\s]*@"


def without_credentials(text: str) -> str:
    """`text` with the user:password@ part of every URL taken out."""
    if "@" not in text or "://" not in text:
        return text
    import re

    return re.sub(_USERINFO, r"\1", text)


def url_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(the URL without its user:password@, the user, the password), both
    unquoted; None where the URL gives none."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    netloc = parts.netloc.rpartition("@")[2]
    bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    password = unquote(parts.password) if parts.password is not None else None
    return bare, unquote(parts.username or ""), password


def shorten(word: str) -> str:
    """A word as a message shows it: whole, or its start and its length."""
    if len(word) <= MAX_ECHOED_WORD:
        return word
    return f"{word[:_KEPT]}...({len(word)} characters)"


def one_line_message(message: str) -> str:
    """A message as acli prints it: its first line, no credentials, and no
    word longer than MAX_ECHOED_WORD."""
    line = message.split("\n", 1)[0].rstrip("\r")
    line = without_credentials(line)
    if len(line) <= MAX_ECHOED_WORD:
        return line
    return " ".join(shorten(word) for word in line.split(" "))
