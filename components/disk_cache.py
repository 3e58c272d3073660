"""Files under .rasa/spacy-cache/ that keep, between runs, results which are slow to compute and
never change for the same inputs (the cache of spaCy's tokenizer pattern: regex_cache.py).

A cache file replaces a computation, so a wrong file would silently change what the server does.
Each file is therefore checked against what it stands for before anything in it is used:

- Its name is the sha256 digest of its kind and of everything its content depends on (`entry()`): a
  changed input is another file, never a stale one.
- It records that same digest and its kind inside: a file copied or renamed under another name (a
  valid cache file, but of other inputs: another pattern, training set, Python or library version)
  is refused.
- It records the sha256 digest of its own content: a damaged file (a flipped byte, cut short,
  half-written, emptied) is refused before any of it is decoded.
- It is data only: a fixed first line, a JSON header, then raw bytes. Reading one never unpickles,
  imports or evaluates anything; `load` returns plain JSON values and bytes, which the caller then
  validates structurally (types, ranges, agreement with the inputs, a cheap behavioural check)
  before rebuilding its objects from them itself.

A refused file is ignored (a warning names it and the reason); the caller recomputes the result and
writes the file again. A missing or unreadable file is recomputed silently; a failed write is
ignored: a read-only checkout only loses the speed-up.

What this does not do is authenticate a file. The digests detect damage and mix-ups, not a forgery:
whoever can write .rasa/ can also compute a sha256, and can just as well edit components/, which the
server runs anyway, so a key would have nowhere safer to live than the files it protects. The aim is
that a damaged, stale or swapped file is never used, and that reading a cache file can never run
code: hence no pickle, and nothing from a file reaches C code that does not check it. The callers'
data go to `json.loads` and `array.frombytes`; a regular expression's code to `_sre.compile`, which
validates it (CPython's guard against malformed code).

Layout of a file:

    spacy-cache 1\\n
    <sha256 hex digest of everything after this line>\\n
    <JSON header, one line: {"kind", "inputs", "meta", "payload_bytes"}>\\n
    <payload: payload_bytes raw bytes>
"""

import hashlib
import hmac
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, NamedTuple, Optional, Tuple

logger = logging.getLogger(__name__)

CACHE_DIR = Path(__file__).resolve().parent.parent / ".rasa" / "spacy-cache"

MAGIC = b"spacy-cache 1\n"
_DIGEST_LINE = 64 + 1  # sha256 in hex, and its newline


class Entry(NamedTuple):
    """One cache file: its kind, the digest of the inputs it is made from, and where it lives."""
    kind: str
    inputs: str
    path: Path


def _as_bytes(part: object) -> bytes:
    if isinstance(part, bytes):
        return part
    # surrogatepass: a pattern may hold lone surrogates, which are still distinct inputs
    return str(part).encode("utf-8", "surrogatepass")


def entry(kind: str, *depends_on: object, cache_dir: Optional[Path] = None) -> Entry:
    """The cache file of `kind` for these inputs (str() of each, or bytes as they are)."""
    digest = hashlib.sha256()
    for part in (kind, *depends_on):
        data = _as_bytes(part)
        digest.update(b"%d:" % len(data))  # length-prefixed: ("ab", "c") and ("a", "bc") differ
        digest.update(data)
    inputs = digest.hexdigest()
    return Entry(kind, inputs, (cache_dir or CACHE_DIR) / f"{kind}-{inputs}")


class Refused(ValueError):
    """A cache file, or what it holds, is not what it should be: it is ignored and recomputed."""


def refuse(cache: Entry, reason: object) -> None:
    logger.warning("spaCy cache: ignored %s (%s); computing it again.", cache.path, reason)


def load(cache: Entry) -> Optional[Tuple[Any, bytes]]:
    """`(meta, payload)` as stored by `store` for exactly these inputs, or None (absent or refused)."""
    try:
        content = cache.path.read_bytes()
    except OSError:
        return None
    try:
        return decode(cache, content)
    except Refused as reason:
        refuse(cache, reason)
        return None


def decode(cache: Entry, content: bytes) -> Tuple[Any, bytes]:
    if not content.startswith(MAGIC):
        raise Refused("not a spaCy cache file of this format")
    digest_line, body = content[len(MAGIC):len(MAGIC) + _DIGEST_LINE], content[len(MAGIC) + _DIGEST_LINE:]
    if len(digest_line) != _DIGEST_LINE or not digest_line.endswith(b"\n"):
        raise Refused("no content digest")
    if not hmac.compare_digest(digest_line[:-1], hashlib.sha256(body).hexdigest().encode()):
        raise Refused("content does not match its digest: damaged")
    header_line, newline, payload = body.partition(b"\n")
    if not newline:
        raise Refused("no header")
    try:
        header = json.loads(header_line.decode("utf-8"))
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError included
        raise Refused(f"unreadable header: {error}") from None
    if not isinstance(header, dict) or set(header) != {"kind", "inputs", "meta", "payload_bytes"}:
        raise Refused("unexpected header")
    if header["kind"] != cache.kind or header["inputs"] != cache.inputs:
        raise Refused("made from other inputs than this file's name says")
    if type(header["payload_bytes"]) is not int or header["payload_bytes"] != len(payload):
        raise Refused("payload of the wrong length")
    return header["meta"], payload


def encode(cache: Entry, meta: Any, payload: bytes) -> bytes:
    header = json.dumps({"kind": cache.kind, "inputs": cache.inputs, "meta": meta, "payload_bytes": len(payload)},
                        ensure_ascii=True, allow_nan=False, separators=(",", ":"), sort_keys=True)
    body = header.encode("ascii") + b"\n" + payload
    return MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def store(cache: Entry, meta: Any, payload: bytes) -> None:
    """Keeps `meta` (JSON values) and `payload` as the file of `cache`; a failed write is ignored."""
    write(cache.path, encode(cache, meta, payload))
    _remove_earlier_formats(cache)


def _remove_earlier_formats(cache: Entry) -> None:
    """Files of this kind in an earlier format (the marshal and pickle files of the first version)
    are never read again: they are removed rather than left to lie around."""
    try:
        for path in cache.path.parent.glob(f"{cache.kind}-*"):
            with path.open("rb") as file:
                if file.read(len(MAGIC)) == MAGIC:
                    continue
            path.unlink()
    except OSError:
        pass


def write(path: Path, content: bytes) -> None:
    partial = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed: two servers starting together never read half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".partial-", delete=False) as file:
            partial = file.name
            file.write(content)
        os.chmod(partial, 0o644)  # readable by a server running as another user
        os.replace(partial, path)
    except OSError:
        if partial is not None:
            try:
                os.unlink(partial)
            except OSError:
                pass
