"""Files under .rasa/ that keep, between runs, results which are slow to compute and never change
for the same inputs (the launcher's caches: regex_cache.py, crf_cache.py).

A file's name is a hash of everything its content depends on, so a changed input is a new file,
never a stale one. Reading a missing or unreadable file gives None; a failed write is ignored: a
read-only checkout only loses the speed-up.
"""

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Optional

CACHE_DIR = Path(__file__).resolve().parent.parent / ".rasa" / "launcher-cache"


def cache_file(kind: str, *depends_on: object, cache_dir: Optional[Path] = None) -> Path:
    digest = hashlib.sha256("\0".join(map(str, depends_on)).encode()).hexdigest()
    return (cache_dir or CACHE_DIR) / f"{kind}-{digest}"


def read(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed: two servers starting together never read half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as partial:
            partial.write(content)
        os.chmod(partial.name, 0o644)  # readable by a server running as another user
        os.replace(partial.name, path)
    except OSError:
        pass
