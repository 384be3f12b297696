"""The OVSDB stream parser that replaces ovs's pure-Python one: same answers
as the stdlib decoder, however the stream is cut into chunks."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from acli.hosts.fastjson import StreamParser

MESSAGES = [
    {"id": 1, "result": {"Bridge": {"u1": {"new": {"name": "br0", "ports": ["set", []]}}}}},
    {"method": "update", "params": [None, {"Port": {"x": {"new": {"name": "a}b{\"c\\"}}}}]},
    {"id": "echo", "result": ["\\\"}"], "error": None},
]


def parse_stream(text: str, cuts: list[int]) -> list:
    """Feed `text` in pieces the way ovs.jsonrpc does; return the messages."""
    pieces, last = [], 0
    for cut in sorted(set(c % (len(text) + 1) for c in cuts)) + [len(text)]:
        pieces.append(text[last:cut])
        last = cut
    out, pending, parser = [], "", None
    for piece in pieces:
        pending += piece
        while pending:
            parser = parser or StreamParser()
            used = parser.feed(pending)
            pending = pending[used:]
            if parser.is_done():
                out.append(parser.finish())
                parser = None
            elif used == 0:
                break
    return out


@settings(max_examples=300)
@given(st.lists(st.integers(0, 10_000), max_size=12))
def test_any_chunking_gives_the_same_messages(cuts):
    text = "".join(json.dumps(m) + (" " if i % 2 else "") for i, m in enumerate(MESSAGES))
    assert parse_stream(text, cuts) == MESSAGES


def test_incomplete_input_is_not_done():
    parser = StreamParser()
    assert parser.feed('{"id": 1, "result": {"a": "}') == len('{"id": 1, "result": {"a": "}')
    assert not parser.is_done()
    assert parser.finish() == "unexpected end of input"


def test_invalid_json_is_an_error_string():
    parser = StreamParser()
    assert parser.feed('{"id": nope}{"next": 1}') == len('{"id": nope}')
    assert parser.is_done() and "invalid JSON" in parser.finish()
