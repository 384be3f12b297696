"""Which Lark runs the grammar, loaded as cheaply as start-up allows.

First choice: Lark's standalone LALR parser, generated from grammar/acli.lark
on first use into the user's cache directory and byte-compiled there. It
carries its own copy of Lark's runtime, so a start does not import lark at
all (~20 ms of a ~100 ms one-shot command). The file is named after a hash
of the grammar, so a changed grammar regenerates it. Fallback (no writable
cache): lark itself, building the parser in memory.

Either way the result is (parser, module) where `module` holds the
exception classes (UnexpectedInput, ...) that parser raises.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import lru_cache

from acli.syntax.builder import LineBuilder

LARK_OPTIONS = dict(parser="lalr", lexer="contextual", maybe_placeholders=True)
GENERATOR_VERSION = "1"  # bump when the generated file's shape changes


def grammar_path() -> str:
    try:
        import acli.grammar

        return os.path.join(os.path.dirname(acli.grammar.__file__), "acli.lark")
    except ModuleNotFoundError:
        # Running from a source tree (python -m acli in a checkout): the
        # grammar is not yet mapped into the package, it sits at the top.
        here = os.path.dirname(os.path.abspath(__file__))
        return os.path.join(os.path.dirname(os.path.dirname(here)), "grammar", "acli.lark")


def grammar_text() -> str:
    with open(grammar_path()) as f:
        return f.read()


def cache_dir() -> str | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "acli")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


@lru_cache(maxsize=1)
def load():
    grammar = grammar_text()
    folder = cache_dir()
    if folder:
        try:
            return _standalone(grammar, folder)
        except Exception:  # a broken cache must never stop the shell
            pass
    return _in_memory(grammar)


def _in_memory(grammar: str):
    import lark
    import lark.exceptions

    builder = type("Builder", (LineBuilder, lark.Transformer), {})()
    return lark.Lark(grammar, transformer=builder, **LARK_OPTIONS), lark.exceptions


def _standalone(grammar: str, folder: str):
    digest = hashlib.sha1((GENERATOR_VERSION + repr(sorted(LARK_OPTIONS.items())) + grammar)
                          .encode()).hexdigest()[:16]
    path = os.path.join(folder, f"acli_parser_{digest}.py")
    compiled = importlib.util.cache_from_source(path)
    if not os.path.exists(compiled):
        _generate(grammar, path, compiled)
    spec = importlib.util.spec_from_file_location(f"acli_parser_{digest}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    builder = type("Builder", (LineBuilder, module.Transformer), {})()
    return module.Lark_StandAlone(transformer=builder), module


def _generate(grammar: str, path: str, compiled: str) -> None:
    """Write the standalone parser and its .pyc (PYTHONDONTWRITEBYTECODE may
    be set, and then nothing else would ever compile it)."""
    import io
    import py_compile

    import lark
    from lark.tools.standalone import gen_standalone

    from acli.files import write_atomic

    out = io.StringIO()
    gen_standalone(lark.Lark(grammar, **LARK_OPTIONS), out=out)
    write_atomic(path, out.getvalue())
    tmp_c = f"{compiled}.{os.getpid()}.tmp"
    os.makedirs(os.path.dirname(compiled), exist_ok=True)
    py_compile.compile(path, cfile=tmp_c, doraise=True)
    os.replace(tmp_c, compiled)
