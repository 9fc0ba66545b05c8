"""Charts on pipeline answers: "compare Q3 vs Q4 won revenue" answers in words and with a
PNG of the same figures — uploaded into the same Slack thread after the text (through the
real Bolt app and the fake's files.getUploadURLExternal / upload URL /
files.completeUploadExternal), or saved and named by `salesbot chat`."""

from __future__ import annotations

import datetime as dt
import io
import json
import pickle
import re
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from bot.assistant.types import Reply, ReplyFile
from bot.cli import main
from bot.render.charts import COLORS, Bar, bars_png
from crm_store.models import LOCAL_TEAM, Role
from crm_store.services import deals
from crm_store.services.users import get_or_create_user
from tests import clock
from tests.slack_harness import button_press, posted, settings_for, start_server

PNG = b"\x89PNG\r\n\x1a\n"
QUESTION = "compare Q3 vs Q4 won revenue"
# Won deals (amount, day won): Q3 $50,000 in 2 deals, Q4 $120,000 in 3 (before Nov 16).
WON = [(30_000, dt.date(2026, 7, 20)), (20_000, dt.date(2026, 9, 2)),
       (70_000, dt.date(2026, 10, 5)), (40_000, dt.date(2026, 10, 28)),
       (10_000, dt.date(2026, 11, 9))]
SAID = "Q3 2026 $50,000 (2 deals) → Q4 2026 $120,000 (3 deals), +$70,000 (+140%)"


def _seed(database, team_id: str, slack_user_id: str) -> None:
    with database.session() as session:
        sam = get_or_create_user(session, team_id=team_id, slack_user_id=slack_user_id,
                                 name="Sam Rivera", tz="America/New_York", role=Role.REP)
        for i, (amount, day) in enumerate(WON):
            won_at = dt.datetime(day.year, day.month, day.day, 15, tzinfo=dt.UTC)
            deal = deals.create_deal(session, actor=sam, team_id=team_id, title=f"Deal {i}",
                                     amount=amount, stage="proposal", close_date=day,
                                     now=won_at - dt.timedelta(days=30))
            deals.update_deal(session, actor=sam, deal=deal, status="won", now=won_at)
        # Open and lost deals in the same quarters count for nothing here.
        deals.create_deal(session, actor=sam, team_id=team_id, title="Open one", amount=999_000,
                          stage="demo", close_date=dt.date(2026, 12, 1),
                          now=dt.datetime(2026, 10, 1, tzinfo=dt.UTC))


def _bar_lengths(png: bytes) -> list[int]:
    """The length in pixels of each bar, top to bottom (bars alternate two colours)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = {tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in COLORS[:2]}
    lengths, run = [], 0
    for y in range(image.height):
        row = sum(1 for x in range(image.width) if image.getpixel((x, y)) in colours)
        if row:
            run = max(run, row)
        elif run:
            lengths.append(run)
            run = 0
    return lengths


@pytest.fixture
def monday():
    with clock.at(clock.MOMENTS["mon"]) as now:  # Mon Nov 16 2026: Q4 is this quarter
        yield now


# ------------------------------------------------------------------ the reply carries a file
def test_a_file_on_a_reply_is_kept_through_extend_and_crosses_processes():
    chart = ReplyFile("a-vs-b.png", "A vs B", bars_png(
        [Bar("A", 1, "1"), Bar("B", 2, "2")], title="A vs B"), alt="A: 1; B: 2.")
    first, second = Reply("first"), Reply("second", files=[chart])
    first.extend(second)
    assert first.files == [chart]
    again = pickle.loads(pickle.dumps(first))  # as a worker's reply reaches the Slack process
    assert again.files == [chart] and again.files[0].content.startswith(PNG)


# ------------------------------------------------------------------ Slack
@pytest.fixture
def slack(database, fake, monday):
    _seed(database, "T1", "USAM")
    server = start_server(database, fake, settings_for(fake))
    yield server
    server.close()


def test_a_comparison_posts_its_answer_then_a_chart_of_the_same_figures_in_the_thread(
        slack, fake):
    slack.dm(QUESTION, ts="1700000001.000100")
    [message] = fake.wait_for("chat.postMessage")
    text, _ = posted(message)
    assert SAID in text
    fake.wait_for("files.completeUploadExternal")
    [upload] = fake.uploads()
    assert (upload.channel, upload.thread_ts) == ("D1", message.params["thread_ts"])
    assert message.params["thread_ts"] == "1700000001.000100"
    methods = [c.method for c in fake.calls]
    assert methods.index("chat.postMessage") < methods.index("files.getUploadURLExternal")
    assert upload.filename == "q3-2026-vs-q4-2026.png"
    assert upload.title == "Won deals: Q3 2026 vs Q4 2026"
    assert "Q3 2026: $50,000 (2 deals); Q4 2026: $120,000 (3 deals)" in upload.alt_txt
    assert "Change: +$70,000 (+140%)" in upload.alt_txt
    assert upload.content.startswith(PNG)
    image = Image.open(io.BytesIO(upload.content))
    assert image.format == "PNG" and image.width == 900 and 150 < image.height < 400
    q3, q4 = _bar_lengths(upload.content)  # the bars are the answer's figures, to scale
    assert q3 / q4 == pytest.approx(50_000 / 120_000, abs=0.02)


def test_an_upload_slack_refuses_leaves_the_answer_and_says_so(slack, fake):
    fake.fail_next("upload", status=500, retry_after=None)
    slack.dm(QUESTION, ts="1700000002.000100")
    answer, note = fake.wait_for("chat.postMessage", 2)
    assert SAID in posted(answer)[0]
    assert "I couldn't attach the chart (Won deals: Q3 2026 vs Q4 2026)" in note.params["text"]
    assert "the figures are in my answer above" in note.params["text"]
    assert note.params["thread_ts"] == answer.params["thread_ts"] == "1700000002.000100"
    assert fake.calls_to("upload!500") and not fake.uploads()


def test_a_comparison_asked_again_by_its_button_brings_its_chart(slack, fake):
    slack.dm(QUESTION + " by region", ts="1700000004.000100")
    text, _ = posted(fake.wait_for("chat.postMessage")[0])
    assert "I can't answer that yet: the CRM keeps no region data" in text
    blocks = fake.calls_to("chat.postMessage")[0].params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    status, _, _ = slack.interact(button_press(fake, blocks, "Total, won deals in Q3 2026",
                                               "ask.1"))
    assert status == 200
    [answer] = fake.wait_for("response_url")
    assert SAID in answer.params["text"]
    fake.wait_for("files.completeUploadExternal")
    [upload] = fake.uploads()  # where the pressed message is: the DM, not a new thread
    assert (upload.channel, upload.thread_ts) == ("D1", None)
    assert upload.filename == "q3-2026-vs-q4-2026.png" and upload.content.startswith(PNG)


def test_a_single_figure_gets_no_chart(slack, fake):
    slack.dm("won revenue this quarter", ts="1700000003.000100")
    fake.wait_for("chat.postMessage")
    fake.quiet_for(0.5)
    assert not fake.calls_to("files.getUploadURLExternal")


# ------------------------------------------------------------------ terminal
def test_the_terminal_saves_the_chart_and_prints_its_path(database, monday, monkeypatch,
                                                          capsys, tmp_path):
    _seed(database, LOCAL_TEAM, "USAM")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # PostgreSQL: the temp folder
    monkeypatch.setattr("sys.stdin", io.StringIO(QUESTION + "\n"))
    monkeypatch.setenv("COLUMNS", "200")
    url = database.engine.url.render_as_string(hide_password=False)
    assert main(["chat", "--url", url, "--no-demo"]) == 0
    out = capsys.readouterr().out
    assert SAID in out
    [shown] = re.findall(r"Chart: (\S+)", out)
    path = Path(shown)
    assert path.name == "q3-2026-vs-q4-2026.png" and path.is_relative_to(tmp_path)
    assert path.read_bytes().startswith(PNG)
    q3, q4 = _bar_lengths(path.read_bytes())
    assert q3 / q4 == pytest.approx(50_000 / 120_000, abs=0.02)
