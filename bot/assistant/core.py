"""The assistant: `handle(incoming) -> reply`, the same for Slack and the terminal.

A message lives in three steps:
1. prepare — understand the text (the NLU engine; a model may be called here) and
   read what that needs; no write transaction is open;
2. execute — one short transaction: the idempotency key, the executors (resolve names,
   authorize, write through crm_store services), audit rows, the undo batch;
3. after commit — what an executor left for later (`ctx.after_commit`): model-written
   prose and anything else slow. Slack posts happen after `handle` returns, in the
   listener that called it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import select

import bot.assistant.executors  # noqa: F401 - registers the executors
from bot import voice
from bot.assistant import clarify, teach
from bot.assistant.context import EXECUTORS, PRESS_HANDLERS, AfterCommit, Ctx, on_press
from bot.assistant.types import Button, Incoming, Person, Press, Reply
from bot.logging_setup import event_context
from bot.nlu.actions import Action, Unknown, action_to_dict, parse_action
from bot.nlu.learned import known_examples, known_names
from bot.nlu.rules import parse as rules_parse
from bot.settings import Settings
from crm_store.db import Database
from crm_store.errors import Ambiguous, BadInput, CRMError, NotFound
from crm_store.models import Role, User, utcnow
from crm_store.services import ai, audit, nlu_examples, vocabulary
from crm_store.services.inbound import first_delivery
from crm_store.services.users import get_or_create_user

log = logging.getLogger(__name__)

Engine = Callable[..., Sequence[Action]]  # parse(text, *, now, tz) -> actions
MAX_TEXT = 4000
MAX_BUTTON_VALUE = 2000  # Slack's limit on a button's value
NAMES_TTL_S = 60.0  # names written by another process help the tagger within a minute
TAUGHT_NAMES_FROM = 50  # the latest corrections whose names help the tagger
MODEL_EXAMPLES = 5  # the latest corrections a model is shown (within its token budget)
UNDO_WORDS = {"undo", "undo that", "undo it", "undo last", "revert", "revert that", "oops undo"}


class Assistant:
    """One per process; stateless between messages (everything lives in the database; only
    the workspace's names are kept for a minute, as reading hints)."""

    def __init__(self, db: Database, settings: Settings, *, engine: Engine) -> None:
        self.db = db
        self.settings = settings
        self.engine = engine
        self._names: dict[str, tuple[float, list[tuple[str, str]]]] = {}  # team: (until, names)

    # ----------------------------------------------------------------- messages
    def handle(self, incoming: Incoming, *, fetch: voice.Fetch = voice.cannot_fetch,
               to_text: voice.Transcribe | None = None) -> Reply:
        """The one way in for every message — DM, mention, /crm, a modal's submission,
        a voice clip, the terminal; never raises for the user's input. Voice clips are
        fetched with `fetch` and heard first; `incoming.actions`, when a surface has
        already read the message (a form), are carried out as they are."""
        with event_context(incoming.source_id):  # understanding logs carry the id too
            if not incoming.files:
                return self._handle(incoming)
            heard = voice.listen(self, incoming, fetch=fetch, to_text=to_text)
            if isinstance(heard, Reply):
                return heard
            reply = self._handle(heard)
            if heard.transcript and reply.text:  # a duplicate has no text: leave it alone
                reply.context.insert(0, voice.heard_line(heard.transcript))
            return reply

    def _handle(self, incoming: Incoming) -> Reply:
        if incoming.actions:
            # A form that corrected a reading (Edit…) teaches: kept with the write.
            taught = (incoming.text, incoming.corrects) if incoming.corrects else None
            return self.perform(incoming.person, incoming.actions, source_id=incoming.source_id,
                                now=incoming.now, permalink=incoming.permalink,
                                transcript=incoming.transcript, channels=dict(incoming.channels),
                                taught=taught)
        text = " ".join((incoming.text or "").split())
        if text.lower().strip(".! ") in UNDO_WORDS:
            return self._run(incoming.person, incoming.source_id, incoming.now,
                             lambda ctx: _undo(ctx, batch=None))
        now = incoming.now or utcnow()
        prepared = self.prepare(incoming, text=text, now=now)
        if isinstance(prepared, Reply):
            return prepared
        return self.perform(incoming.person, prepared.actions, source_id=incoming.source_id,
                            now=now, permalink=incoming.permalink,
                            transcript=incoming.transcript, channels=dict(incoming.channels),
                            said=text, pinned=prepared.pinned)

    def prepare(self, incoming: Incoming, *, text: str, now: dt.datetime,
                ) -> teach.Reading | Reply:
        """Step 1, with no write transaction open (a slow model never holds a lock): the
        message's reading, or the answer itself when there is nothing to carry out."""
        if not text:
            return Reply("Tell me what happened or ask a question — say *help* for examples.",
                         ok=False)
        if len(text) > MAX_TEXT:
            return Reply(f"That message is {len(text):,} characters; I read up to {MAX_TEXT:,}. "
                         "Send the key points, or attach the notes as a file.", ok=False)
        names = self._names_of(incoming.person.team_id)  # they help read the text
        with self.db.session(readonly=True) as session:
            # What people corrected before: names they wrote in help the tagger, and a
            # correction of these very words is made again.
            recent = nlu_examples.recent_examples(session, team_id=incoming.person.team_id,
                                                  limit=TAUGHT_NAMES_FROM)
            same = nlu_examples.corrections_for(session, team_id=incoming.person.team_id,
                                                text_key=nlu_examples.text_key(text))
            taught_names = teach.hints(recent)
            model_on = ai.enabled(session, team_id=incoming.person.team_id)  # /crm ai off
        if taught_names:
            names = taught_names + list(names)
        shown = [(e.text, e.corrected) for e in recent[:MODEL_EXAMPLES]]
        with known_examples(shown):  # for an engine that shows a model examples
            actions = self.understand(text, now=now, tz=self._zone_of(incoming.person),
                                      names=names, model=model_on)
        return teach.reading(actions, same)  # as people corrected or answered these words

    def perform(self, person: Person, actions: Sequence[Action], *, source_id: str,
                now: dt.datetime | None = None, permalink: str | None = None,
                transcript: str | None = None, channels: dict[str, str] | None = None,
                said: str | None = None, pinned: dict[str, int] | None = None,
                taught: tuple[str, Sequence[Action]] | None = None) -> Reply:
        """Carry out already-understood actions as `person`, once per `source_id`.
        `said` is the message as typed (it rides on a question's buttons); `pinned`, the
        records people picked before for its names; `taught`, from a corrected form, is
        (that message, the actions as first read), kept as an example in the same
        transaction as the corrected actions are carried out."""
        def work(ctx: Ctx) -> Reply:
            ctx.said = said
            ctx.pinned.update(pinned or {})
            if taught is not None:
                nlu_examples.record_correction(
                    ctx.session, team_id=person.team_id, text=taught[0],
                    original=teach.stripped(taught[1]), corrected=teach.stripped(actions),
                    created_by=ctx.user.id)
            return decide(ctx, actions, said=said)

        with event_context(source_id):
            return self._run(person, source_id, now, work,
                             permalink=permalink, transcript=transcript, channels=channels)

    def press(self, press: Press) -> Reply:
        """Carry out a button press (Undo, a pick among ambiguous names, task buttons)."""
        handler = PRESS_HANDLERS.get(press.action_id.split(":")[0])
        if handler is None:
            return Reply("That button is no longer supported.", ok=False)
        def work(ctx: Ctx) -> Reply:
            ctx.pressed = press.action_id
            return handler(ctx, press.value)

        with event_context(press.source_id):
            return self._run(press.person, press.source_id, press.now, work)

    def understand(self, text: str, *, now: dt.datetime, tz: str,
                   names: Sequence[tuple[str, str]] | None = None,
                   model: bool = True) -> list[Action]:
        """The engine's actions for `text`; `unknown` if the engine itself fails.
        `names` (kind, name) are the workspace's own, to help find people and companies;
        without `model` (an admin turned it off) a model engine gives way to its fallback."""
        local_now = now.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
        engine = self.engine if model else offline_engine(self.engine)
        try:
            with known_names(names):
                return list(engine(text, now=local_now, tz=tz))
        except Exception:  # an engine failure must never reach the user as a trace
            log.exception("NLU engine failed on %r", text[:200])
            return [Unknown(text=text)]

    def _names_of(self, team_id: str) -> list[tuple[str, str]]:
        """The workspace's names for the tagger, read at most every NAMES_TTL_S seconds:
        reading thousands of names for every message would cost more than the parse."""
        now = time.monotonic()
        kept = self._names.get(team_id)
        if kept is None or kept[0] <= now:
            with self.db.session(readonly=True) as session:
                kept = (now + NAMES_TTL_S, vocabulary.names_by_kind(session, team_id=team_id))
            self._names[team_id] = kept
        return kept[1]

    def _zone_of(self, person: Person) -> str:
        if person.tz:
            return person.tz
        with self.db.session(readonly=True) as session:
            stored = session.scalar(select(User.tz).where(User.team_id == person.team_id,
                                                          User.slack_user_id == person.user_id))
        return stored or "UTC"

    # ---------------------------------------------------------------- internals
    def _run(self, person: Person, source_id: str, now, work: Callable[[Ctx], Reply],
             permalink: str | None = None, transcript: str | None = None,
             channels: dict[str, str] | None = None) -> Reply:
        """Steps 2 and 3: dedupe by source id, run, commit — or roll back and explain —
        then what the work left for after the commit."""
        try:
            with self.db.session() as session:
                # The key goes in first: a second delivery of the event stops right here
                # and writes nothing; a failure below rolls the key back too.
                if not first_delivery(session, team_id=person.team_id, key=source_id):
                    log.info("duplicate delivery of %s", source_id)
                    return Reply("", context=["duplicate"])
                user = self.user_for(session, person)
                audit.set_source(session, source_id)
                ctx = Ctx(session=session, user=user, now=now or utcnow(),
                          settings=self.settings, source_id=source_id, permalink=permalink,
                          transcript=transcript, channels=channels or {})
                reply = work(ctx)
        except _Clarify as asked:
            return asked.reply()
        except _Confirm as asked:  # nothing written, the key included: the question only
            return asked.question
        except CRMError as err:
            return Reply(str(err), ok=False)
        except Exception:
            return _unexpected(source_id)
        if ctx.created:  # a name just created helps read this workspace's next message
            self._names.pop(person.team_id, None)
        return after_commit(reply, ctx.after_commit)

    def user_for(self, session, person: Person) -> User:
        """The CRM user behind a Slack or terminal person, created on first contact."""
        wanted = self._role_for(person)
        user = get_or_create_user(session, team_id=person.team_id, slack_user_id=person.user_id,
                                  name=person.name or person.user_id, email=person.email,
                                  tz=person.tz or "UTC", role=wanted)
        if wanted != Role.REP and user.role != wanted and user.role != Role.ADMIN:
            user.role = wanted  # settings and Slack admin flags promote, never demote
        if person.tz and user.tz != person.tz:
            user.tz = person.tz
        return user

    def _role_for(self, person: Person) -> Role:
        if person.user_id in self.settings.ids(self.settings.salesbot_admins) or \
                person.is_workspace_admin:
            return Role.ADMIN
        if person.user_id in self.settings.ids(self.settings.salesbot_managers):
            return Role.MANAGER
        return Role.REP


def offline_engine(engine: Engine) -> Engine:
    """The engine that reads messages when the model is switched off: a model engine's
    fallback (the rules), or the engine itself when it calls no model."""
    if not hasattr(engine, "fallback"):
        return engine
    return engine.fallback or rules_parse


def decide(ctx: Ctx, actions: Sequence[Action], *, said: str | None = None) -> Reply:
    """Step 2 for a message: carry out a sure reading; ask first (writing nothing) when
    a write was read with low confidence, or only part of the message was understood."""
    today = ctx.local_now.date()
    known = [a for a in actions if a.intent != "unknown"]
    if len(known) < len(actions) and clarify.writes(known):
        missed = "; ".join(f"“{a.text[:120]}”" for a in actions
                           if isinstance(a, Unknown) and a.text)
        raise _Confirm(clarify.question(
            known, today=today, missed=f"I didn't get {missed or 'part of that'}.", said=said))
    if clarify.unsure(actions, ctx.settings.clarify_below):
        raise _Confirm(clarify.question(actions, today=today, said=said))
    return execute(ctx, actions, offer_rest=True)


def execute(ctx: Ctx, actions: Sequence[Action], *, offer_rest: bool = False) -> Reply:
    """Carry out validated actions in the caller's transaction; all or nothing. With
    `offer_rest`, a part that cannot be done (an unknown name, a bad date) rolls back
    the lot and the rest is offered as a question."""
    reply = Reply("")
    for action in actions or [Unknown(text="")]:
        executor = EXECUTORS.get(action.intent)
        if executor is None:
            raise CRMError(f"I can't do '{action.intent}' yet.")
        try:
            part = executor(ctx, action)
        except Ambiguous as err:
            raise _Clarify(err, actions, action, ctx.pinned, said=ctx.said) from None
        except (NotFound, BadInput) as err:
            rest = [a for a in actions if a is not action]
            if not (offer_rest and clarify.writes(rest)):
                raise
            raise _Confirm(clarify.question(rest, today=ctx.local_now.date(),
                                            missed=str(err))) from None
        reply.extend(part)
    if ctx.created:
        reply.context.insert(0, "Created " + ", ".join(ctx.created) + ".")
    if reply.wrote:
        batch = ctx.session.info.get("audit_batch")
        if batch:
            reply.buttons.append(Button("Undo", "undo", batch))
    return reply


def after_commit(reply: Reply, steps: Sequence[AfterCommit]) -> Reply:
    """Step 3: each step amends the reply of work already committed. One that fails is
    logged and skipped: what was written stays written, and the reply still goes out."""
    for step in steps:
        try:
            step(reply)
        except Exception:  # noqa: BLE001 - the write is done; say the rest
            log.exception("an after-commit step failed (%s)", getattr(step, "__name__", step))
    return reply


def _unexpected(source_id: str) -> Reply:
    error_id = uuid.uuid4().hex[:8]
    log.exception("error %s handling %s", error_id, source_id)
    return Reply(f"Something went wrong on my side and nothing was saved "
                 f"(error id `{error_id}`). Please try again.", ok=False)


class _Clarify(Exception):
    """An ambiguous name: roll back and ask, offering the choices as buttons."""

    def __init__(self, err: Ambiguous, actions: Sequence[Action], failed: Action,
                 pinned: dict[str, int], *, said: str | None) -> None:
        super().__init__(str(err))
        self.err, self.actions, self.failed, self.pinned = err, list(actions), failed, \
            dict(pinned)
        self.said = said

    def reply(self) -> Reply:
        buttons = []
        for record_id, label in self.err.choices:
            pinned = {**self.pinned, str(self.err.field): record_id}
            # The whole message rides on the button: picking redoes all of it, and no
            # conversation state has to survive on the server.
            # The words ride along so the pick is remembered for them (when they fit).
            for value in (_pick_value(self.actions, pinned, said=self.said),
                          _pick_value(self.actions, pinned),
                          _pick_value([self.failed], pinned)):  # Slack's limit: the part
                if len(value) <= MAX_BUTTON_VALUE:                # that asked, at least
                    break
            buttons.append(Button(label, f"pick:{record_id}", value))
        return Reply(str(self.err), buttons=buttons, ok=False)


class _Confirm(Exception):
    """A reading to confirm before anything is written: roll back and ask."""

    def __init__(self, question: Reply) -> None:
        super().__init__(question.text)
        self.question = question


def _pick_value(actions: Sequence[Action], pinned: dict[str, int], *,
                said: str | None = None) -> str:
    said_part = {"text": said[:nlu_examples.TEXT_MAX]} if said else {}
    return json.dumps({"actions": [action_to_dict(a) for a in actions], "pinned": pinned,
                       **said_part}, separators=(",", ":"))


def _undo(ctx: Ctx, *, batch: str | None) -> Reply:
    undone = audit.undo(ctx.session, actor=ctx.user, batch=batch)
    kinds = sorted({e.entity_type.replace("_", " ") for e in undone
                    if e.entity_type != "deal_change"})
    return Reply(f"Undone: {len(undone)} change{'s' if len(undone) != 1 else ''} "
                 f"({', '.join(kinds)}).", wrote=False)


@on_press("undo")
def _press_undo(ctx: Ctx, value: str) -> Reply:
    return _undo(ctx, batch=value or None)


@on_press("pick")
def _press_pick(ctx: Ctx, value: str) -> Reply:
    try:
        data: dict[str, Any] = json.loads(value)
        actions = [parse_action(raw) for raw in data["actions"]]
        picked = {str(k): int(v) for k, v in data["pinned"].items()}
        said = data.get("text")
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return Reply("That choice has expired; please send your message again.", ok=False)
    ctx.pinned.update(picked)
    reply = execute(ctx, actions)
    if isinstance(said, str):  # the same words will mean the same records next time
        nlu_examples.record_answer(ctx.session, team_id=ctx.team_id, text=said,
                                   actions=teach.stripped(actions), pinned=picked,
                                   created_by=ctx.user.id)
    return reply


@on_press(clarify.CONFIRM)
def _press_confirm(ctx: Ctx, value: str) -> Reply:
    """Yes: the reading that was asked about, carried out as this press's own work."""
    actions = clarify.carried(value)
    if actions is None:
        return Reply("That question has expired; please send your message again.", ok=False)
    reply = execute(ctx, actions)
    said = clarify.said_with(value)
    if said:  # confirmed: the same words are read as sure next time
        nlu_examples.record_answer(ctx.session, team_id=ctx.team_id, text=said,
                                   actions=teach.stripped(actions), pinned={},
                                   created_by=ctx.user.id)
    return reply


@on_press(clarify.CANCEL)
def _press_cancel(ctx: Ctx, value: str) -> Reply:
    return Reply(clarify.CANCELLED)


@on_press(clarify.EDIT)
def _press_edit(ctx: Ctx, value: str) -> Reply:
    """Edit where there is no form to open (the terminal; Slack opens a modal)."""
    actions = clarify.carried(value)
    if actions is None:
        return Reply("That question has expired; please send your message again.", ok=False)
    return clarify.edit_choices(actions, today=ctx.local_now.date())
