"""`salesbot chat` with a model: the brief's chunks print as they come, then the rest of
the final reply; a failing model leaves the offline brief with one line saying why."""

from __future__ import annotations

import io

import pytest

from bot.cli import main
from bot.settings import get_settings
from crm_store.db import Database
from crm_store.models import Role, User, utcnow
from crm_store.services import accounts, activities, contacts, deals
from tests.openai_fake import FakeOpenAI, claims_json, stream, tool_call_response


@pytest.fixture
def fake():
    server = FakeOpenAI()
    yield server
    server.close()


@pytest.fixture
def acme(db_url) -> dict[str, str]:
    db = Database.open(db_url)
    with db.session() as s:
        rep = User(team_id="local", slack_user_id="U1", name="Sam Rivera", role=Role.REP,
                   tz="America/New_York")
        s.add(rep)
        s.flush()
        acme = accounts.create_account(s, actor=rep, team_id="local", name="Acme Corp")
        jane = contacts.create_contact(s, actor=rep, team_id="local", name="Jane Doe",
                                       account_id=acme.id)
        deal = deals.create_deal(s, actor=rep, team_id="local", title="Acme expansion",
                                 account_id=acme.id, contact_id=jane.id, amount=40_000,
                                 stage="proposal")
        note = activities.log_activity(s, actor=rep, team_id="local", kind="call", contact=jane,
                                       deal=deal, occurred_at=utcnow(),
                                       body="Budget approved for this year.")
        ids = {"note": f"A{note.id}", "deal": f"D{deal.id}"}
    db.dispose()
    return ids


def chat(monkeypatch, capsys, fake, url, lines):
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    get_settings.cache_clear()
    try:
        assert main(["chat", "--url", url, "--no-demo"]) == 0
    finally:
        get_settings.cache_clear()
    return capsys.readouterr().out


def test_chat_prints_the_model_written_brief_as_it_streams(monkeypatch, capsys, fake, db_url,
                                                          acme):
    fake.script.extend([
        tool_call_response(("summarize", {"account": "Acme Corp"})),  # understanding
        stream(claims_json(("Acme expansion is in proposal.", [acme["deal"]]),
                           ("Budget is approved for this year.", [acme["note"]])))])
    out = chat(monkeypatch, capsys, fake, db_url, ["summarize Acme"])
    assert out.count("Brief: Acme Corp") == 1
    assert f"• Acme expansion is in proposal. [{acme['deal']}]" in out
    assert f"• Budget is approved for this year. [{acme['note']}, " in out
    assert "Written by the model (brief@v1) from the CRM facts it cites." in out
    assert "[1] 👍   [2] 👎" in out
    assert "Quotes are the notes' own words" not in out  # that was the offline brief's
    assert fake.requests[1]["stream"] is True


def test_chat_falls_back_to_the_offline_brief(monkeypatch, capsys, fake, db_url, acme):
    fake.script.extend([tool_call_response(("summarize", {"account": "Acme Corp"})), 503])
    out = chat(monkeypatch, capsys, fake, db_url, ["summarize Acme"])
    assert "“Budget approved for this year.”" in out  # the notes' own words, offline
    assert "Written offline: the model answered with an error (HTTP 503)." in out
    assert "👍" not in out
