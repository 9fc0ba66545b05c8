"""Email drafts: purpose words, template rendering, and lines dropped for missing facts."""

from __future__ import annotations

import itertools
from dataclasses import fields, replace

import pytest

from bot.assistant.drafts import (
    FACTS,
    DraftFacts,
    draft_email,
    first_name,
    missing_labels,
    pick_purpose,
    placeholders,
    quote_note,
    render,
)
from prompts.templates import DRAFT_PURPOSES, draft_template

FULL = DraftFacts(
    name="Jane Doe", first_name="Jane", account="Acme Corp", sender="Sam Rivera",
    last_date="Nov 3", last_kind="call", last_note="Budget approved; follow up Tuesday",
    deal_title="Acme expansion", deal_stage="proposal", deal_amount="$40,000",
    close_date="Dec 15", next_step="send pricing", next_step_due="Friday, Nov 20",
)
BARE = DraftFacts(sender="Sam Rivera")


@pytest.mark.parametrize("purpose, expected", [
    ("follow up", "follow_up"),
    ("follow-up on the demo", "follow_up"),
    ("thank them for the meeting", "follow_up"),
    ("recap", "recap"),
    ("summary of today's call", "recap"),
    ("pricing", "proposal"),
    ("send the proposal", "proposal"),
    ("a quote for 30 seats", "proposal"),
    ("follow up on pricing", "proposal"),
    ("check in", "check_in"),
    ("checking-in", "check_in"),
    ("touch base", "check_in"),
    ("haven't heard back", "re_engage"),
    ("follow up, have not heard back", "re_engage"),
    ("re-engage", "re_engage"),
    ("revive the deal", "re_engage"),
    ("they went quiet", "re_engage"),
])
def test_purpose_words_map_to_a_template(purpose, expected):
    assert pick_purpose(purpose, days_since_touch=2) == expected


@pytest.mark.parametrize("purpose, days, expected", [
    (None, None, "follow_up"),  # nothing logged: a plain follow-up
    (None, 30, "follow_up"),
    (None, 31, "re_engage"),
    ("", 90, "re_engage"),
    ("about the demo", 60, "re_engage"),  # words that name no template count as none given
    ("follow up", 90, "follow_up"),  # an explicit purpose wins over the calendar
    ("pricing", 90, "proposal"),
])
def test_long_silence_means_re_engage_unless_a_purpose_is_given(purpose, days, expected):
    assert pick_purpose(purpose, days_since_touch=days) == expected


@pytest.mark.parametrize("name, expected", [
    ("Jane Doe", "Jane"), ("Dr. Jane Doe", "Jane"), ("Priya", "Priya"), ("Mr Tom Becker", "Tom"),
    ("", None), (None, None), ("Dr.", None),
])
def test_first_name(name, expected):
    assert first_name(name) == expected


@pytest.mark.parametrize("note, expected", [
    ("Budget approved.\nFollow up Tuesday.", "Budget approved. Follow up Tuesday."),
    ("use ```code``` here", "use '''code''' here"),
    ("   ", None),
    (None, None),
])
def test_quote_note(note, expected):
    assert quote_note(note) == expected


def test_quote_note_cuts_long_notes_at_a_word():
    note = "word " * 100
    quoted = quote_note(note, limit=50)
    assert quoted.endswith("…") and quoted[:-1] in note and len(quoted) <= 51


@pytest.mark.parametrize("line, facts, expected", [
    ("Hi {first_name}, || Hello,", {"first_name": "Jane"}, "Hi Jane,"),
    ("Hi {first_name}, || Hello,", {}, "Hello,"),
    ("Deal: {deal_title} at {deal_stage}.", {"deal_title": "X"}, None),
    ("Plain text stays.", {}, "Plain text stays."),
])
def test_a_line_takes_the_first_alternative_whose_facts_are_known(line, facts, expected):
    template = f"Subject: Hello\n{line}\n\nBest,\n{{sender}}"
    draft = render(template, DraftFacts(sender="Sam", **facts))
    lines = draft.body.splitlines()
    if expected is None:
        assert lines == ["Best,", "Sam"]
    else:
        assert lines[0] == expected


def test_dropped_lines_leave_no_gap_and_are_reported():
    template = ("Subject: Hi\nHello,\n\nAmount: {deal_amount}\nNext: {next_step}\n\n"
                "Bye,\n{sender}\n")
    draft = render(template, DraftFacts(sender="Sam"))
    assert draft.body == "Hello,\n\nBye,\nSam"
    assert draft.missing == ("deal_amount", "next_step")
    assert missing_labels(draft) == ["the deal amount", "an open task"]


def test_values_are_inserted_verbatim_even_with_braces():
    draft = render("Subject: Hi\nNote: “{last_note}”", DraftFacts(last_note="budget {approved}"))
    assert draft.body == "Note: “budget {approved}”"


@pytest.mark.parametrize("template, error", [
    ("Subject: Hi\nHello {nickname}", "unknown placeholders: nickname"),
    ("Hello {first_name}\nBody", "Subject:"),
    ("Subject: Hi {first_name}\nBody", "Subject:"),  # a subject that can vanish is an error
])
def test_bad_templates_are_refused(template, error):
    with pytest.raises(ValueError, match=error):
        render(template, BARE)


@pytest.mark.parametrize("purpose", DRAFT_PURPOSES)
def test_shipped_templates_use_known_facts_and_always_have_a_subject(purpose):
    template = draft_template(purpose)
    assert template.startswith("Subject:")
    assert placeholders(template.replace(" || ", "\n")) <= FACTS
    draft = draft_email(purpose, BARE)
    assert draft.subject and draft.purpose == purpose
    assert draft.body.endswith("Best,\nSam Rivera")


@pytest.mark.parametrize("purpose", DRAFT_PURPOSES)
def test_full_facts_fill_every_template_with_real_values_only(purpose):
    draft = draft_email(purpose, FULL)
    assert draft.missing == ()
    assert "{" not in draft.text and "None" not in draft.text
    assert "Hi Jane," in draft.body
    assert "“Budget approved; follow up Tuesday”" in draft.body


# Values that appear nowhere in the templates' own wording, so any sighting is a leak.
DISTINCT = replace(FULL, last_kind="meeting", deal_stage="negotiation")
SUBSETS = [
    dict(zip(names, (getattr(DISTINCT, n) for n in names), strict=True))
    for size in (0, 1, 2, 4)
    for names in itertools.islice(itertools.combinations(
        [f.name for f in fields(DraftFacts) if f.name != "sender"], size), 12)
]


@pytest.mark.parametrize("purpose", DRAFT_PURPOSES)
@pytest.mark.parametrize("known", SUBSETS, ids=lambda d: "+".join(d) or "none")
def test_missing_facts_drop_lines_instead_of_guessing(purpose, known):
    facts = replace(BARE, **known)
    draft = draft_email(purpose, facts)
    assert "{" not in draft.text and "None" not in draft.text
    for name in FACTS - set(known) - {"sender"}:
        value = getattr(DISTINCT, name)
        if name == "name" and "first_name" in known:
            value = "Doe"  # her first name may appear; her full name may not
        assert value not in draft.text, f"{name} appears though it was not given"
    assert "\n\n\n" not in draft.body


def test_recap_drops_only_the_amount_when_the_deal_has_none():
    draft = draft_email("recap", replace(FULL, deal_amount=None))
    assert "Where things stand: Acme expansion, at the proposal stage." in draft.body
    assert "$" not in draft.body


def test_proposal_without_a_deal_keeps_the_letter_and_says_what_is_left_out():
    draft = draft_email("proposal", replace(FULL, deal_title=None, deal_stage=None,
                                           deal_amount=None, close_date=None))
    assert "Scope:" not in draft.body and "Investment:" not in draft.body
    assert "Following our call on Nov 3, here is our proposal." in draft.body
    assert missing_labels(draft) == ["an open deal"]  # its amount and date go without saying
