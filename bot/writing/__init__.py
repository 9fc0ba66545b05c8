"""Prose by a model, after the work is committed: briefs, drafts and pipeline answers.

`write(reply, settings=..., access=...)` takes a Reply whose executor set `compose` (the
facts the code assembled) and returns a `Writing`: iterate it for the verified chunks as
the model writes them (Slack streams them; the terminal prints them), then read
`.reply`, the reply to show in the end. The model is held to the facts: each claim cites
fact ids and is dropped when it says what those facts do not (bot.writing.verify). The
offline text stands, with one line saying why, whenever the model is switched off, over
budget, failing, slow, or loses too many claims to the verifier. No transaction is open
here: the call is booked and settled through `access` in short ones of their own.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Protocol

from bot.assistant.draft_reply import with_written_body
from bot.assistant.drafts import Draft
from bot.assistant.types import Button, Compose, Reply
from bot.settings import Settings
from bot.writing import render
from bot.writing.assemble import MAX_COMPLETION, Assembled, assemble, condense_messages
from bot.writing.call import Failed, Usage, ask_claims, stream_text
from bot.writing.claims import Claim, ClaimReader
from bot.writing.sheet import Sheet, read_sheet
from bot.writing.verify import Verdict, check

log = logging.getLogger(__name__)

MAX_DROPPED = 1 / 3  # more of the claims than this fail the verifier: the offline text stands
EXCERPT = 150


class Access(Protocol):
    """How a writer books and settles model calls (crm_store.services.ai, somewhere)."""

    def reserve(self, compose: Compose, *, prompt: str, need: int) -> int | str: ...

    def settle(self, usage_id: int, *, prompt_tokens: int, completion_tokens: int,
               outcome: str) -> None: ...


def feedback_buttons(prompt: str, prose: str) -> list[Button]:
    """👍/👎 on a model-written reply: which prompt wrote it and how it began."""
    value = json.dumps({"prompt": prompt, "excerpt": prose[:EXCERPT]}, ensure_ascii=False)
    return [Button("👍", "ai_feedback:up", value), Button("👎", "ai_feedback:down", value)]


class Writing:
    """The model writing one reply: iterate for chunks, then read `reply`."""

    def __init__(self, reply: Reply, *, settings: Settings, access: Access,
                 now: dt.datetime | None = None, client: Any = None) -> None:
        self._given = reply
        self._settings = settings
        self._access = access
        self._now = now
        self._client = client
        self._final: Reply | None = None
        self._work: Iterator[str] | None = None
        self.model_written = False
        self.prompt: str | None = None
        self.chunks: list[str] = []
        self.verdicts: list[Verdict] = []
        self.assembled: Assembled | None = None
        self.usage = Usage()
        self.timings: dict[str, float] = {}  # seconds spent by the product around the call

    def __iter__(self) -> Iterator[str]:
        if self._work is None:
            self._work = self._run()
        return self._work

    @property
    def reply(self) -> Reply:
        """The reply to show in the end; reading it finishes the writing (a caller that
        stopped iterating early still gets the whole of it, just not as chunks)."""
        for _ in self:
            pass
        if self._final is None:  # the work was closed before it finished
            self._final = self._offline("the model's answer was not finished")
        return self._final

    # ------------------------------------------------------------------ the work
    def _run(self) -> Iterator[str]:
        compose = self._given.compose
        if compose is None or not self._settings.llm_configured:
            self._final = replace(self._given, compose=None)
            return
        try:
            yield from self._write(compose)
        except Exception:  # noqa: BLE001 - prose is a nicety; the reply must still go out
            log.exception("writing %s failed", compose.prompt)
            if self._final is None:
                self._final = self._offline("something went wrong with the model")

    def _write(self, compose: Compose) -> Iterator[str]:
        started = time.perf_counter()
        settings = self._settings
        model = settings.openai_model
        sheet = read_sheet(compose.prompt, compose.facts, now=self._now)
        asm = assemble(sheet, model=model)
        self.prompt = asm.label
        need = asm.need + (asm.map_need if asm.overflow else 0)
        self.timings["assemble"] = time.perf_counter() - started
        try:
            booked = self._access.reserve(compose, prompt=asm.label, need=need)
        except Exception:  # noqa: BLE001 - no booking, no call
            log.exception("could not book a model call")
            booked = "the model budget could not be checked"
        if isinstance(booked, str):
            self._final = self._offline(booked)
            return
        outcome = "fallback:error"
        try:
            client = self._client or _client(settings)
            if asm.overflow:
                asm = assemble(sheet, model=model, condense=lambda rows: ask_claims(
                    client, model=model, messages=condense_messages(rows, model=model),
                    max_tokens=MAX_COMPLETION["condense"], timeout_s=settings.openai_timeout_s,
                    usage=self.usage))
            self.assembled = asm
            claims = yield from self._stream(client, sheet, asm)
            outcome = "ok" if self.model_written else "fallback:verifier"
            if not self.model_written:
                self._final = self._offline("the model's answer did not check out against "
                                            "the CRM")
            else:
                self._final = self._model_reply(sheet, claims)
        except Failed as failed:
            outcome = failed.outcome
            self._final = self._offline(failed.why)
        finally:
            self._settle(booked, asm, outcome)
        log.info("wrote %s: %s (%d claims kept, %d dropped)", asm.label, outcome,
                 sum(v.ok for v in self.verdicts), sum(not v.ok for v in self.verdicts))

    def _stream(self, client: Any, sheet: Sheet, asm: Assembled) -> Iterator[str]:
        reader = ClaimReader()
        kept: list[Claim] = []
        always = sheet.frame.get("always", "")
        pieces = stream_text(client, model=self._settings.openai_model, messages=asm.messages,
                             max_tokens=MAX_COMPLETION[sheet.prompt],
                             timeout_s=self._settings.openai_timeout_s, usage=self.usage)
        verifying = 0.0
        for piece in pieces:
            for claim in reader.feed(piece):
                mark = time.perf_counter()
                verdict = check(claim, sheet, always=always)
                self.verdicts.append(verdict)
                if not verdict.ok:
                    log.info("dropped a claim of %s: %s", asm.label, verdict.reason)
                    verifying += time.perf_counter() - mark
                    continue
                text = render.chunk(sheet, claim)
                if not kept and render.heading(sheet):
                    text = f"{render.heading(sheet)}\n{text}"
                kept.append(claim)
                verifying += time.perf_counter() - mark
                self.chunks.append(text)
                yield text
        self.timings["verify"] = verifying
        if not reader.text.strip():
            raise Failed("the model answered nothing", "fallback:empty")
        if reader.whole() is None and not kept:
            raise Failed("the model's answer could not be read", "fallback:unreadable")
        total = len(self.verdicts) + reader.malformed
        lost = total - len(kept)
        self.model_written = bool(kept) and lost <= total * MAX_DROPPED
        return kept

    def _settle(self, booked: int, asm: Assembled, outcome: str) -> None:
        usage = self.usage
        try:
            self._access.settle(
                booked, prompt_tokens=usage.prompt_tokens if usage.reported else asm.prompt_tokens,
                completion_tokens=usage.completion_tokens, outcome=outcome)
        except Exception:  # noqa: BLE001 - the estimate stays booked: it errs on spending less
            log.exception("could not settle model usage %s", booked)

    # ------------------------------------------------------------------ replies
    def _offline(self, why: str) -> Reply:
        given = self._given
        return replace(given, compose=None, context=[*given.context, f"Written offline: {why}."])

    def _model_reply(self, sheet: Sheet, claims: list[Claim]) -> Reply:
        mark = time.perf_counter()
        given = self._given
        prose = render.prose(sheet, claims)
        if sheet.offline and sheet.offline in given.text:
            text = given.text.replace(sheet.offline, prose, 1)
        else:
            text = prose
        context = [line for line in given.context if line not in sheet.offline_only]
        left_out = sum(not v.ok for v in self.verdicts)
        note = f"Written by the model ({self.prompt}) from the CRM facts it cites"
        if left_out:
            note += (f"; {left_out} statement{'s' if left_out > 1 else ''} that did not match "
                     "the CRM left out")
        context.append(note + ".")
        if sheet.frame.get("model_note"):
            context.append(sheet.frame["model_note"])
        excerpt = " ".join(c.text for c in claims)
        buttons = list(given.buttons)
        if sheet.prompt == "draft":  # Log as sent and Open in mail take the model's words
            drafted = Draft(purpose="", subject=sheet.frame.get("subject", ""),
                            body="\n\n".join(c.text for c in claims))
            carried = with_written_body(buttons, drafted, email=sheet.frame.get("email") or None)
            if carried is None:
                context.append("This draft is too long to ride on its buttons: Log as sent "
                               "and Open in mail use the code-written version.")
            else:
                buttons = carried
        final = replace(given, text=text, context=context, compose=None,
                        buttons=[*buttons, *feedback_buttons(self.prompt or "", excerpt)])
        self.timings["render"] = time.perf_counter() - mark
        return final


def _client(settings: Settings) -> Any:
    from bot.model import model_client

    # Retries are ours (one short 429 wait): the client's own could hold a rep for minutes.
    return model_client(settings).with_options(max_retries=0)


def write(reply: Reply, *, settings: Settings, access: Access,
          now: dt.datetime | None = None, client: Any = None) -> Writing:
    """The model's writing of `reply` (see the module docstring); nothing runs until it
    is iterated or its `.reply` is read."""
    return Writing(reply, settings=settings, access=access, now=now, client=client)
