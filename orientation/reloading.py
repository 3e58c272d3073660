"""Keeps a running server's knowledge base in step with its files, without a restart.

Counsellors edit the YAML files while the assistant is answering visitors. `current()` notices a
change within `check_interval` seconds and reloads; an edit that fails validation is refused, logged
once with the loader's message (file, entry, fault), and visitors keep getting the last valid version.
"""

import logging
import time
from pathlib import Path
from typing import Callable, Dict, FrozenSet, Tuple

from orientation.knowledge import KnowledgeBase
from orientation.loader import KnowledgeBaseError, load_knowledge_dir

logger = logging.getLogger(__name__)

WATCHED_PATTERNS = ("*.yml",)
DEFAULT_CHECK_INTERVAL = 2.0  # seconds: counsellors see their edit almost at once, visitors pay one stat per file every 2 s
# (file name, modification time in ns, size): any save by any editor changes at least one of them.
FileStamps = FrozenSet[Tuple[str, int, int]]


class ProfessionMissingError(KnowledgeBaseError):
    """The files load, but none describes the profession this server answers about."""

    def __init__(self, directory: Path, profession: str) -> None:
        super().__init__(str(directory), "", f"aucune base de connaissances pour la profession « {profession} »")


class ReloadingKnowledgeBase:
    """The knowledge base of one profession, re-read from `directory` when its files change.

    The first load happens here and its errors propagate, so a server never starts on a broken base.
    """

    def __init__(
        self,
        directory: Path,
        profession: str,
        loader: Callable[[Path], Dict[str, KnowledgeBase]] = load_knowledge_dir,
        clock: Callable[[], float] = time.monotonic,
        check_interval: float = DEFAULT_CHECK_INTERVAL,
    ) -> None:
        self.directory, self.profession = Path(directory), profession
        self._loader, self._clock, self._check_interval = loader, clock, check_interval
        # Stamped before loading: a save during the load then shows up as a change at the next check.
        self._stamps = _file_stamps(self.directory)
        self._base = self._load()
        self._next_check = clock() + check_interval

    def current(self) -> KnowledgeBase:
        """The latest valid knowledge base; looks at the files at most once per `check_interval`."""
        now = self._clock()
        if now >= self._next_check:
            self._next_check = now + self._check_interval
            stamps = _file_stamps(self.directory)
            if stamps != self._stamps:
                # Remembered even if the reload fails, so a broken state is reported once, not on every call.
                self._stamps = stamps
                self._reload()
        return self._base

    def _reload(self) -> None:
        try:
            base = self._load()
        except (KnowledgeBaseError, OSError) as error:  # the loader reports YAML errors as KnowledgeBaseError
            logger.error("Base de connaissances modifiée mais invalide, l'assistant continue avec la dernière version valide : %s", error)
            return
        self._base = base
        logger.info("Base de connaissances rechargée depuis %s", self.directory)

    def _load(self) -> KnowledgeBase:
        bases = self._loader(self.directory)
        if self.profession not in bases:
            raise ProfessionMissingError(self.directory, self.profession)
        return bases[self.profession]


def _file_stamps(directory: Path) -> FileStamps:
    stamps = set()
    for pattern in WATCHED_PATTERNS:
        for path in directory.glob(pattern):
            try:
                status = path.stat()
            except OSError:
                continue  # deleted between listing and stat: it no longer counts
            stamps.add((path.name, status.st_mtime_ns, status.st_size))
    return frozenset(stamps)
