"""A digest request that links a channel (<#C0SALES|sales>, or <#C0SALES|> as Slack sends
for private channels and from newer clients) subscribes the channel's id, shows its
name when known, and the digest is posted to that id — through the real Bolt app."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.listeners.events import channel_links, message_text
from bot.slack_notify import SlackNotifier
from crm_store.models import DigestSubscription
from scheduler.digests import deliver_digests
from tests.slack_harness import TEAM, posted, settings_for


def subscription(server) -> tuple[str, str | None]:
    with server.database.session(readonly=True) as s:
        sub = s.scalar(select(DigestSubscription))
        return sub.channel, sub.channel_name


@pytest.mark.parametrize(("link", "name", "shown"), [
    ("<#C0SALES|sales>", "sales", "Done: #sales gets the pipeline digest daily at 08:00"),
    ("<#C0SALES|>", None, "Done: <#C0SALES> gets the pipeline digest daily at 08:00"),
])
def test_a_digest_for_a_linked_channel_subscribes_its_id_and_is_posted_there(
        server, fake, link, name, shown):
    server.dm(f"post a daily digest to {link} at 8am")
    text, blocks = posted(fake.wait_for("chat.postMessage")[0])
    assert text.startswith(shown), text
    assert subscription(server) == ("C0SALES", name)

    with server.database.session(readonly=True) as s:
        due = s.scalar(select(DigestSubscription.next_run_at))
    fake.reset()
    notifier = SlackNotifier.from_settings(settings_for(fake), server.database)
    assert deliver_digests(server.database, notifier, worker="w", now=due) == 1
    [call] = fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "C0SALES"


def test_the_slash_command_subscribes_a_linked_channel_by_id_too(server, fake):
    status, _, _ = server.form({
        "command": "/crm", "text": "weekly digest to <#C0SALES|sales> every friday at 9am",
        "team_id": TEAM, "user_id": "USAM", "channel_id": "C1", "trigger_id": "1.2",
        "response_url": fake.response_url("cmd")})
    assert status == 200
    assert "#sales gets the pipeline digest every Friday at 09:00" in \
        fake.wait_for("response_url")[0].params["text"]
    assert subscription(server) == ("C0SALES", "sales")


def test_a_channel_named_without_a_link_still_works_by_name(server, fake):
    server.dm("post a daily digest to #sales at 8am")
    assert posted(fake.wait_for("chat.postMessage")[0])[0].startswith(
        "Done: #sales gets the pipeline digest")
    assert subscription(server) == ("sales", "sales")


@pytest.mark.parametrize(("wire", "text", "links"), [
    ("digest to <#C0SALES|sales> at 8am", "digest to #sales at 8am", (("sales", "C0SALES"),)),
    ("digest to <#C0SALES|> at 8am", "digest to #C0SALES at 8am", (("c0sales", "C0SALES"),)),
    ("digest to <#G01|Deals-EU> and <#C0SALES>", "digest to #Deals-EU and #C0SALES",
     (("deals-eu", "G01"), ("c0sales", "C0SALES"))),
])
def test_message_text_keeps_the_name_for_the_parser_and_the_id_alongside(wire, text, links):
    assert message_text(wire, bot_user_id=None) == text
    assert channel_links(wire) == links
