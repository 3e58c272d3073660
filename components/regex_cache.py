"""Keeps the compiled form of spaCy's very large regular expression on disk between runs (cold start).

Importing spaCy's French language compiles one regular expression of 1.45 million characters, the
tokenizer's exceptions (`spacy.lang.fr.tokenizer_exceptions.TOKEN_MATCH`): 7.1 s of every start of
the Rasa server and of every training (`python -X importtime`), spent in Python's own `sre_parse`
and `sre_compile`. Their result is a list of integers that `_sre.compile` turns into the pattern in
milliseconds; it is stored here after the first compilation and read back afterwards. Patterns under
MIN_LENGTH characters go to `re.compile` untouched.

What is checked when a file is read back (any failure: the pattern is compiled as usual and the file
rewritten; see disk_cache.py for the file itself):

- the file was made for exactly this pattern, these flags, this Python build (`sys.version`), sre
  version, code word size and byte order (digest of the inputs recorded in the file, and its name);
- its content is intact (its own sha256 digest);
- the decoded structure: the flags are exactly the requested ones plus the pattern's leading inline
  flags (`(?iu)`), known without compiling (a pattern with global flags elsewhere, deprecated, is not
  kept); the code is a whole number of 32-bit words; the group count is within sre's limits; the
  group names and numbers agree both ways; then `_sre.compile` validates the code itself (a
  malformed program is refused with RuntimeError, never run) and the pattern it returns must report
  the stored flags, groups and group names;
- behaviour: the probes (fixed French tokens, and a few words taken from the pattern's own text, so
  the list is known without the file) must match exactly as they did with the freshly compiled
  pattern when the file was written (spans of every group). Microseconds, where checking against a
  new compilation would cost the seconds the cache saves.

What is not checked: that the stored code is the one sre_compile would produce today for this
pattern, since finding out is the very compilation the cache avoids. The probes and the sha256
digests detect damage, mix-ups and stale files, not a forgery by someone who can write the project's
folder (who could change this code as easily). Reading a file runs no code: it is JSON and an array
of integers, no marshal, no pickle.
"""

import contextlib
import re
import sre_compile
import sre_parse
import sys
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, List, Optional, Tuple

import _sre

from components import disk_cache

MIN_LENGTH = 100_000
FORMAT = 2  # of the stored content; part of the inputs, so that another format is another file

_re_compile = re.compile

# The array type whose items are sre code words (4 bytes); None: no caching on this platform.
_CODE_TYPE = next((code for code in "IL" if array(code).itemsize == _sre.CODESIZE), None)

# Tokens the pattern is tried on after it is read back, with those of _pattern_words.
PROBES = ("", "a", "bonjour", "aujourd'hui", "grand-mère", "Saint-Étienne", "peut-être", "c'est-à-dire",
          "anti-inflammatoire", "contre-indication", "l'infirmière", "arc-en-ciel", "Jean-Pierre",
          "auto-école", "quelques-uns", "10h30", "https://exemple.fr", "GRAND-MÈRE ", "xyz-abc")
_WORD = _re_compile(r"[^\W_][\w'’-]*[^\W_]")
_LEADING_FLAGS = _re_compile(r"\(\?([aiLmsux]+)\)")


def _pattern_words(pattern: str, count: int = 8) -> List[str]:
    """A few whole word-like pieces of the pattern's text, spread along it, and their upper case (the
    same every time: they are known without the file)."""
    words = []
    for start in range(0, len(pattern), max(1, len(pattern) // count)):
        found = _WORD.finditer(pattern, start, start + 2000)
        if start and next(found, None) is None:  # the first one may be the end of a word
            continue
        word = next(found, None)
        if word:
            words += [word.group(), word.group().upper()]
    return words[:2 * count]


def _probes(pattern: str) -> List[str]:
    return [*PROBES, *_pattern_words(pattern)]


def _expected_flags(pattern: str, flags: int) -> int:
    """The flags of the compiled pattern, known without compiling it when its global inline flags
    all lead it, as `(?iu)` does spaCy's (elsewhere is deprecated; such patterns are not kept)."""
    position = 0
    while True:
        inline = _LEADING_FLAGS.match(pattern, position)
        if not inline:
            return sre_parse.fix_flags(pattern, flags)
        for letter in inline.group(1):
            flags |= sre_parse.FLAGS[letter]
        position = inline.end()


def _match_results(compiled: "re.Pattern", probes: List[str]) -> List[Optional[List[List[int]]]]:
    """For each probe, None or the span of every group (JSON values)."""
    return [[list(span) for span in match.regs] if match else None for match in map(compiled.match, probes)]


def _compiled_parts(pattern: str, flags: int) -> Tuple[int, List[int], int, dict, Tuple[Optional[str], ...]]:
    """What `sre_compile.compile` (Python 3.10) passes to `_sre.compile`."""
    parsed = sre_parse.parse(pattern, flags)
    code = [int(op) for op in sre_compile._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _code_bytes(code: List[int]) -> bytes:
    words = array(_CODE_TYPE, code)
    if sys.byteorder != "little":
        words.byteswap()
    return words.tobytes()


def _int(value: Any, low: int, high: int, what: str) -> int:
    if type(value) is not int or not low <= value <= high:
        raise disk_cache.Refused(f"{what} out of range")
    return value


def _from_stored(pattern: str, flags: int, meta: Any, payload: bytes) -> "re.Pattern":
    """The pattern rebuilt from a file's content, once validated; Refused if anything is off."""
    if not isinstance(meta, dict) or set(meta) != {"flags", "groups", "groupindex", "indexgroup", "probes"}:
        raise disk_cache.Refused("unexpected content")
    stored_flags = meta["flags"]
    if type(stored_flags) is not int or stored_flags != _expected_flags(pattern, flags):
        raise disk_cache.Refused("flags other than those of the pattern and those asked for")
    groups = _int(meta["groups"], 0, _sre.MAXGROUPS - 1, "group count")
    groupindex, indexgroup = meta["groupindex"], meta["indexgroup"]
    if (not isinstance(groupindex, dict) or not isinstance(indexgroup, list) or len(indexgroup) != groups + 1
            or indexgroup[0] is not None
            or any(not isinstance(name, str) or type(index) is not int or not 1 <= index <= groups
                   or indexgroup[index] != name for name, index in groupindex.items())
            or sum(name is not None for name in indexgroup) != len(groupindex)):
        raise disk_cache.Refused("group names and numbers disagree")
    if not payload or len(payload) % _sre.CODESIZE:
        raise disk_cache.Refused("code is not a whole number of words")
    words = array(_CODE_TYPE)
    words.frombytes(payload)
    if sys.byteorder != "little":
        words.byteswap()
    try:
        compiled = _sre.compile(pattern, stored_flags, words.tolist(), groups, groupindex, tuple(indexgroup))
    except (RuntimeError, TypeError, ValueError, OverflowError) as error:  # "invalid SRE code"
        raise disk_cache.Refused(f"refused by _sre.compile: {error}") from None
    if compiled.flags != stored_flags or compiled.groups != groups or dict(compiled.groupindex) != groupindex:
        raise disk_cache.Refused("compiled pattern differs from the stored description")
    if meta["probes"] != _match_results(compiled, _probes(pattern)):
        raise disk_cache.Refused("matches the probe tokens differently than when it was stored")
    return compiled


def compile_with_cache(pattern: str, flags: int = 0, cache_dir: Optional[Path] = None) -> "re.Pattern":
    flags = int(flags)
    if _CODE_TYPE is None:
        return _re_compile(pattern, flags)
    cache = disk_cache.entry("regex", FORMAT, sys.version, sys.byteorder, sre_compile.MAGIC, _sre.CODESIZE, flags,
                             pattern, cache_dir=cache_dir)
    stored = disk_cache.load(cache)
    if stored is not None:
        try:
            return _from_stored(pattern, flags, *stored)
        except Exception as reason:  # noqa: BLE001 (Refused, or anything else: never trusted)
            disk_cache.refuse(cache, reason)
    stored_flags, code, groups, groupindex, indexgroup = _compiled_parts(pattern, flags)
    compiled = _sre.compile(pattern, stored_flags, code, groups, groupindex, indexgroup)
    if stored_flags == _expected_flags(pattern, flags):  # else it would be refused when read
        meta = {"flags": stored_flags, "groups": groups, "groupindex": groupindex, "indexgroup": list(indexgroup),
                "probes": _match_results(compiled, _probes(pattern))}
        disk_cache.store(cache, meta, _code_bytes(code))
    return compiled


@lru_cache(maxsize=8)
def _compiled_once(pattern: str, flags: int) -> "re.Pattern":
    # spaCy compiles the same pattern twice per process (module import, tokenizer load); `re` would
    # serve the second from its own in-memory cache, so the disk is read once here too.
    return compile_with_cache(pattern, flags)


def compile(pattern: Any, flags: Any = 0) -> "re.Pattern":  # noqa: A001 (stands in for re.compile)
    if isinstance(pattern, str) and len(pattern) >= MIN_LENGTH and not int(flags) & re.DEBUG:
        return _compiled_once(pattern, int(flags))
    return _re_compile(pattern, flags)


@contextlib.contextmanager
def in_use() -> Iterator[None]:
    """`re.compile` reads very large patterns from the cache, for the duration of the block only.

    Used around spaCy's loading (components/spacy_nlp.py), which imports spaCy's French language;
    everywhere else and afterwards, `re.compile` is Python's own. Not for threads: it changes the `re`
    module while the block runs.
    """
    if re.compile is compile:  # already in use, by an enclosing block
        yield
        return
    re.compile = compile
    try:
        yield
    finally:
        re.compile = _re_compile
