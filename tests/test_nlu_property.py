"""Whatever a person types, the rules engine answers with valid actions and never raises."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu import actions_to_json, parse_action
from bot.nlu.lexicon import words
from bot.nlu.rules import parse_or_raise

WORDS = st.sampled_from(
    sorted(words(
        "called met emailed remind me to follow up next Friday tomorrow EOD at from with Acme Corp "
        "Jane Doe $50k 1.2M proposal negotiaton won lost pipeline Q3 #sales daily 9am top 5 deals "
        ", - ; : ! ? ' ( ) blursday 12/31 end of month in 2 weeks task done help"
    ))
)
NOW = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 12, 31))
ZONES = st.sampled_from(["America/New_York", "Europe/London", "Asia/Kolkata", "UTC"])


def _check(text: str, now: dt.datetime, tz: str) -> None:
    actions = parse_or_raise(text, now=now, tz=tz)
    assert actions
    for raw in actions_to_json(actions)["actions"]:
        # What the engine prints must validate against the same schema the LLM gets.
        parse_action({k: v for k, v in raw.items() if k != "unparsed_date"})


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=300), now=NOW, tz=ZONES)
def test_any_text_parses(text: str, now: dt.datetime, tz: str) -> None:
    _check(text, now, tz)


@settings(max_examples=500, deadline=None)
@given(words=st.lists(WORDS, max_size=25), now=NOW, tz=ZONES)
def test_any_mix_of_cue_words_parses(words: list[str], now: dt.datetime, tz: str) -> None:
    _check(" ".join(words), now, tz)
