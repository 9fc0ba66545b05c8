"""The words a person's voice clips are heard with: the workspace's names, most likely
first, read once per message and only when a clip is actually heard."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot.voice_hints import hint_for
from bot.voice_numbers import figures
from bot.voice_snap import KnownNames, snap_names
from crm_store.services.vocabulary import names_for

if TYPE_CHECKING:
    from bot.assistant.types import Person
    from crm_store.db import Database

log = logging.getLogger(__name__)


class Words:
    """Names to hint the speech model with and to snap its spelling to; loaded on first
    use, so a message whose clips need no listening reads nothing."""

    def __init__(self, load: Callable[[], Sequence[str]] = tuple) -> None:
        self._load = load

    @functools.cached_property
    def names(self) -> Sequence[str]:
        return self._load()

    @functools.cached_property
    def hint(self) -> str:
        """The most likely names that fit in the speech model's context."""
        return hint_for(self.names)

    @functools.cached_property
    def _known(self) -> KnownNames:
        return KnownNames(self.names)

    def tidy(self, transcript: str) -> str:
        """A transcript with known names spelled as in the CRM and amounts as figures."""
        return figures(snap_names(transcript, self._known))


def words_of(db: Database, person: Person) -> Words:
    """The workspace's names ranked for `person`, read in a read-only session when first
    needed (before anything is written); none when the database cannot be read."""
    def load() -> Sequence[str]:
        try:
            with db.session(readonly=True) as session:
                return names_for(session, team_id=person.team_id, user_id=person.user_id)
        except SQLAlchemyError as exc:  # hearing without names beats not hearing
            log.warning("could not read the workspace's names for a voice clip: %s", exc)
            return ()
    return Words(load)
