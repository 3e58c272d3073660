"""The ways a launcher cache file can be damaged (components/disk_cache.py's format), for the regex
cache tests: each must be refused, recomputed and rewritten."""

import json
from pathlib import Path
from typing import Any, Callable, Dict, Tuple

from components import disk_cache


def flip(content: bytes, at: int) -> bytes:
    return content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1:]


def header_end(content: bytes) -> int:
    return content.index(b"\n", len(disk_cache.MAGIC) + 65)


def decoded(cache_file: Path, kind: str) -> Tuple[disk_cache.Entry, Any, bytes]:
    """The entry a file says it is for, and its content (the content digest is checked)."""
    content = cache_file.read_bytes()
    inputs = json.loads(content[len(disk_cache.MAGIC) + 65:header_end(content)])["inputs"]
    entry = disk_cache.Entry(kind, inputs, cache_file)
    return (entry, *disk_cache.decode(entry, content))


def rewrite(cache_file: Path, kind: str, change_meta: Callable = lambda meta: None,
            change_payload: Callable = lambda payload: payload) -> None:
    """The file re-encoded with a consistent content digest and its own inputs: only the content's
    own validation stands between it and its use."""
    entry, meta, payload = decoded(cache_file, kind)
    change_meta(meta)
    disk_cache.store(entry, meta, change_payload(payload))


def _rewrite(change: Callable[[bytes], bytes]) -> Callable:
    return lambda path, _: path.write_bytes(change(path.read_bytes()))


def damages(swap: Callable, payload: str) -> Dict[str, Callable]:
    """Damage name -> function(cache_file, context); `swap` puts a valid file of other inputs in place,
    `payload` names the stored body (for the test ids)."""
    return {
        "swapped": swap,
        "emptied": lambda path, _: path.write_bytes(b""),
        "not ours": lambda path, _: path.write_bytes(b"damaged"),
        "latin-1": lambda path, _: path.write_bytes(b"\xe9" * 10),
        "truncated by half": _rewrite(lambda content: content[:len(content) // 2]),
        "truncated by one byte": _rewrite(lambda content: content[:-1]),
        "one more byte": _rewrite(lambda content: content + b"\0"),
        "flipped in the first line": _rewrite(lambda content: flip(content, 3)),
        "flipped in the digest": _rewrite(lambda content: flip(content, len(disk_cache.MAGIC) + 10)),
        "flipped in the header": _rewrite(lambda content: flip(content, header_end(content) - 20)),
        f"flipped in the {payload}": _rewrite(lambda content: flip(content, len(content) * 2 // 3)),
        "flipped last byte": _rewrite(lambda content: flip(content, len(content) - 1)),
    }
