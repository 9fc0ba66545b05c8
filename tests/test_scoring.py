"""The pure lead scorer: signals add points, age takes them away, reasons explain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm_store.scoring import (
    MARK_BITS,
    SIGNALS,
    SIGNALS_MAX,
    WARNINGS,
    Facts,
    LeadInputs,
    Touch,
    found_signals,
    is_inbound,
    note_marks,
    score_lead,
)

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def call(text: str = "Intro call", days: float = 1, kind: str = "call") -> Touch:
    return Touch(kind=kind, occurred_at=ago(days), text=text)


def score(*touches: Touch, now: dt.datetime = NOW, **deal) -> int:
    return score_lead(LeadInputs(touches=touches, **deal), now=now).score


def test_nothing_known_scores_zero():
    assert score_lead(LeadInputs(), now=NOW).score == 0
    assert score_lead(LeadInputs(), now=NOW).reasons == ()


@pytest.mark.parametrize("note, signal", [
    ("Budget approved for 40k", "budget"),
    ("they have budget for Q1", "budget"),
    ("She asked about pricing for 50 seats", "pricing"),
    ("sent the quote", "pricing"),
    ("reviewing the contract this week", "contract"),
    ("CFO joined the call", "decision_maker"),
    ("met the decision maker", "decision_maker"),
    ("want to go live by end of Q1", "timeline"),
    ("PO is being raised", "po"),
    ("procurement has the paperwork", "po"),
    ("in legal review now", "legal"),
    ("Dana is our champion there", "champion"),
])
def test_buying_signals_are_found_and_add_points(note, signal):
    assert signal in [s.key for s in found_signals(note)]
    assert score(call("Intro call"), call(note)) > score(call("Intro call"), call("Weather chat"))


@pytest.mark.parametrize("note", [
    "no budget approved yet",
    "they don't have budget this year",
    "not talking to the decision maker",
    "without a contract in place",
])
def test_negated_signals_do_not_count(note):
    positives = [s for s in found_signals(note) if s.points > 0]
    assert positives == []


@pytest.mark.parametrize("note, warning", [
    ("Not interested right now", "not_interested"),
    ("they went with a competitor", "competitor"),
    ("budget frozen until next year", "no_budget"),
    ("project on hold", "stalled"),
])
def test_warnings_take_points_away(note, warning):
    assert warning in [s.key for s in found_signals(note)]
    assert score(call("Intro call"), call(note)) < score(call("Intro call"), call("Weather chat"))


def test_po_abbreviation_is_case_sensitive():
    assert [s.key for s in found_signals("PO number coming")] == ["po"]
    assert "po" not in [s.key for s in found_signals("the po-faced clerk")]


@pytest.mark.parametrize("days_later", [7, 30, 90])
def test_the_same_data_scores_lower_as_it_ages(days_later):
    touches = (call("Budget approved, asked for pricing and the contract", 1),
               call("demo went well", 3, "meeting"), call("replied to our email", 2, "email"))
    deal = {"stage": "Proposal", "probability": 60, "amount": 80_000, "team_avg_amount": 40_000}
    fresh = score(*touches, **deal)
    aged = score(*touches, now=NOW + dt.timedelta(days=days_later), **deal)
    assert aged < fresh


def test_scores_stay_between_0_and_100():
    many = [call("Budget approved, PO raised, contract and legal review, CFO, pricing, timeline",
                 d / 4, "meeting") for d in range(40)]
    many += [call("she replied", d / 3, "email") for d in range(10)]
    top = score(*many, stage="Negotiation", probability=80, amount=1_000_000,
                team_avg_amount=10_000)
    assert 90 <= top <= 100
    bottom = score(call("not interested, went with a competitor, no budget, on hold", 0))
    assert 0 <= bottom < 30


def test_reasons_explain_the_score_and_add_up():
    result = score_lead(LeadInputs(
        touches=(call("Budget approved for 40k", 2), call("replied with questions", 1, "email")),
        stage="Negotiation", probability=80, amount=Decimal("90000"),
        team_avg_amount=Decimal("45000"), deal_touched_at=ago(1)), now=NOW)
    texts = " | ".join(r.text for r in result.reasons)
    assert "Budget approved" in texts
    assert "Negotiation (80%)" in texts
    assert "2.0× the team average" in texts
    assert "inbound repl" in texts
    assert "Last touch yesterday (email)" in texts
    assert sum(r.points for r in result.reasons) == result.score
    assert [r.points for r in result.reasons] == sorted((r.points for r in result.reasons),
                                                        reverse=True)
    assert len(result.top(3)) == 3 and result.top(3)[0] == result.reasons[0]


def test_signals_count_once_and_are_capped():
    once = score_lead(LeadInputs(touches=(call("budget approved", 1),)), now=NOW)
    twice = score_lead(LeadInputs(touches=(call("budget approved", 1),
                                           call("budget approved", 1))), now=NOW)
    signal_points = [r.points for r in twice.reasons if r.text.startswith("Budget")]
    assert signal_points == [r.points for r in once.reasons if r.text.startswith("Budget")]
    loaded = score_lead(LeadInputs(touches=(
        call("budget approved, PO, contract, legal, CFO, pricing, timeline, champion", 0),)),
        now=NOW)
    signal_total = sum(r.points for r in loaded.reasons
                       if not r.text.startswith(("Last touch", "1 touch")))
    assert signal_total == SIGNALS_MAX


@pytest.mark.parametrize("probability, expected_more", [(10, False), (80, True)])
def test_later_stages_score_higher(probability, expected_more):
    base = score(call(), stage="Lead", probability=10)
    assert (score(call(), stage="x", probability=probability) > base) is expected_more


def test_bigger_deals_than_average_score_higher():
    small = score(call(), probability=40, amount=10_000, team_avg_amount=50_000)
    big = score(call(), probability=40, amount=150_000, team_avg_amount=50_000)
    assert big > small


def test_stale_deals_count_for_less():
    fresh = score(probability=80, deal_touched_at=ago(1))
    stale = score(probability=80, deal_touched_at=ago(120))
    assert fresh > stale > 0


@pytest.mark.parametrize("text, inbound", [
    ("She replied asking for a call", True),
    ("email from Tom: interested", True),
    ("incoming call from procurement", True),
    ("Sent the deck", False),
])
def test_inbound_replies_are_recognised(text, inbound):
    assert is_inbound(Touch("email", NOW, text)) is inbound


def test_more_and_more_recent_activity_scores_higher():
    one = score(call(days=20))
    recent = score(call(days=1))
    several = score(call(days=1), call(days=3, kind="meeting"), call(days=5, kind="email"))
    assert one < recent < several


def test_future_activities_are_not_negative_age():
    assert score(call(days=-2)) == score(call(days=0))


@pytest.mark.parametrize("note", [
    "Budget approved, legal review of the contract next week",
    "She replied asking for pricing for 200 seats, CFO joins",
    "no budget approved yet; they went with a competitor",
    "PO number coming, champion wrote back",
    "Left a voicemail",
])
def test_stored_marks_score_exactly_like_the_text(note):
    def inputs(**text_or_marks) -> LeadInputs:
        touches = (Touch("email", ago(2), **text_or_marks), call("demo went well", 5, "meeting"))
        return LeadInputs(touches=touches, stage="Proposal", probability=60, amount=80_000,
                          team_avg_amount=40_000, deal_touched_at=ago(3))

    from_text = score_lead(inputs(text=note), now=NOW)
    assert score_lead(inputs(marks=note_marks(note)), now=NOW) == from_text
    assert is_inbound(Touch("email", NOW, marks=note_marks(note))) is is_inbound(
        Touch("email", NOW, note))


def test_marks_have_one_fixed_bit_per_signal_and_for_inbound():
    keys = [s.key for s in SIGNALS + WARNINGS] + ["inbound"]
    assert sorted(MARK_BITS) == sorted(keys)
    assert len(set(MARK_BITS.values())) == len(MARK_BITS)
    assert note_marks("Budget approved") == 1 << MARK_BITS["budget"]
    assert note_marks("Weather chat") == 0


def test_facts_add_up_to_the_facts_of_all_the_touches():
    """A contact's facts plus its account's score as the two lists of touches together."""
    own = [("call", 2.0, note_marks("budget approved")), ("email", 9.0, note_marks("replied")),
           ("meeting", 2.0, 0)]
    account = [("note", 1.0, note_marks("asked about pricing, no budget")), ("call", 40.0, 0)]

    def facts(touches) -> Facts:
        found = Facts()
        for kind, age, marks in touches:
            found.add(kind, age, marks)
        return found

    merged, together = facts(own).merge(facts(account)), facts(own + account)
    assert (merged.count, merged.recent, merged.replies, merged.last_age, merged.last_kind,
            merged.signal_ages) == (together.count, together.recent, together.replies,
                                    together.last_age, together.last_kind,
                                    together.signal_ages)
    assert merged.weight == pytest.approx(together.weight)
    assert merged.last_kind == "note"  # the latest touch, a day ago
    assert facts(own).last_kind == "meeting"  # same moment as the call: the weightier kind
    assert facts(own).count == 3  # merging left the parts as they were
