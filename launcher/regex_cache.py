"""Keeps the compiled form of very large regular expressions on disk between runs (cold start).

Importing spaCy's French language compiles one regular expression of 1.45 million characters, the
tokenizer's exceptions (`spacy.lang.fr.tokenizer_exceptions.TOKEN_MATCH`): 7.1 s of every start of
the Rasa server and of every training (`python -X importtime`), spent in Python's own `sre_parse`
and `sre_compile`. Their result is a list of integers that `_sre.compile` turns into the pattern in
milliseconds; it is stored here after the first compilation and read back afterwards.

The stored form is tied to the exact pattern, flags and Python build (disk_cache.py). A missing,
unreadable or damaged file just means compiling as usual, and rewriting it. Patterns under
MIN_LENGTH characters go to `re.compile` untouched.
"""

import marshal
import re
from functools import lru_cache
import sre_compile
import sre_parse
import sys
from pathlib import Path
from typing import Any, Optional, Tuple

import _sre

from launcher import disk_cache

MIN_LENGTH = 100_000

_re_compile = re.compile


def _compiled_parts(pattern: str, flags: int) -> Tuple[Any, ...]:
    """What `sre_compile.compile` (Python 3.10) passes to `_sre.compile`, in marshal-able types."""
    parsed = sre_parse.parse(pattern, flags)
    code = [int(op) for op in sre_compile._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def compile_with_cache(pattern: str, flags: int = 0, cache_dir: Optional[Path] = None) -> "re.Pattern":
    cache_file = disk_cache.cache_file("regex", sys.version, sre_compile.MAGIC, flags, pattern, cache_dir=cache_dir)
    try:
        return _sre.compile(pattern, *marshal.loads(disk_cache.read(cache_file)))
    except Exception:  # absent or unusable: compile, as re would
        pass
    parts = _compiled_parts(pattern, flags)
    disk_cache.write(cache_file, marshal.dumps(parts))
    return _sre.compile(pattern, *parts)


@lru_cache(maxsize=8)
def _compiled_once(pattern: str, flags: int) -> "re.Pattern":
    # spaCy compiles the same pattern twice per process (module import, tokenizer load); `re` would
    # serve the second from its own in-memory cache, so the disk is read once here too.
    return compile_with_cache(pattern, flags)


def compile(pattern: Any, flags: Any = 0) -> "re.Pattern":  # noqa: A001 (stands in for re.compile)
    if isinstance(pattern, str) and len(pattern) >= MIN_LENGTH and not int(flags) & re.DEBUG:
        return _compiled_once(pattern, int(flags))
    return _re_compile(pattern, flags)


def install() -> None:
    re.compile = compile
