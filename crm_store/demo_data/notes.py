"""Templates of call, meeting and email notes and of tasks, by where the deal stands.

Placeholders: {first} {contact} {title} {account} {industry} {amount} {competitor}
{seats} {weekday} {close} {product}. The phrases are the buying signals reps really write
(budget approved, asked for pricing, decision maker, timeline, competitor, objection
on price, security review, contract review, next steps), so scoring has material.
"""

from __future__ import annotations

# phase → (kind, text). A deal's stage at the time picks the phase; no deal → by lifecycle.
NOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "intro": (
        ("call", "Intro call with {first} ({title}) at {account}. They track pipeline in "
                 "spreadsheets and lose deals in handoffs. Next steps: send the overview deck "
                 "and book discovery with their team."),
        ("email", "Emailed {first} a short case study from another {industry} customer and "
                  "asked for 20 minutes next {weekday}."),
        ("call", "Left a voicemail for {contact}; will try again {weekday}. Their ops lead "
                 "mentioned reps logging calls from Slack would save hours a week."),
        ("note", "{first} downloaded the forecasting guide. {account} is hiring reps, likely "
                 "a fit for the {product}."),
        ("meeting", "Coffee with {first} from {account}. Early days: interested, no budget "
                    "yet. Timeline is next quarter at the earliest."),
    ),
    "qualified": (
        ("call", "Discovery with {contact}. Budget approved for this year, roughly {amount}. "
                 "{first} is the decision maker together with their CFO. Timeline: live "
                 "before {close}."),
        ("meeting", "Discovery meeting at {account}: {seats} reps, pain is forecast accuracy. "
                    "{first} confirmed they own the budget. Next steps: demo for the sales "
                    "leads on {weekday}."),
        ("call", "{first} walked me through their buying process: IT signs off, then "
                 "procurement. Competitor in the mix is {competitor}. Booked the demo."),
        ("email", "Sent {first} a recap of discovery (pains, {seats} seats, timeline) and "
                  "the demo agenda for {weekday}."),
    ),
    "demo": (
        ("meeting", "Ran the demo for {first} and two sales managers at {account}. Strong "
                    "reaction to logging from Slack and the pipeline view. They asked about "
                    "SSO; security review needed before a proposal."),
        ("call", "Follow-up on the demo with {first}: they want a two-week trial for one "
                 "team. Also comparing us with {competitor}. Next steps: set up the trial."),
        ("email", "Sent {first} the demo recording and our security questionnaire answers "
                  "for their security review."),
        ("meeting", "Technical deep-dive with {account}'s IT. Security review in progress; "
                    "{first} says the decision maker is happy so far."),
    ),
    "proposal": (
        ("call", "{first} asked for pricing for {seats} seats. Sent the proposal at "
                 "{amount}. Objection on price: {competitor} quoted about 15% lower. Next "
                 "steps: walk through ROI on {weekday}."),
        ("email", "Sent {first} the proposal for the {product} ({amount}) with a multi-year "
                  "option. Asked who else needs to sign off."),
        ("meeting", "Proposal review with {first} and their CFO. Budget approved in "
                    "principle; pushback on price for the second year. Timeline still "
                    "{close}."),
        ("call", "Checked in with {contact} on the proposal. Decision maker wants a "
                 "reference call before moving to contract review."),
    ),
    "negotiation": (
        ("meeting", "Contract review with {first} and their legal team. Redlines on the "
                    "liability cap and payment terms; otherwise aligned. Target signature "
                    "by {close}."),
        ("call", "{first} confirmed procurement has the contract. Asked for a 5% discount "
                 "for a two-year term; said I'd check. Next steps: revised order form."),
        ("email", "Sent {first} the revised order form ({amount}) with net-45 terms as "
                  "agreed. Decision maker signs once legal clears it."),
        ("note", "Legal at {account} returned redlines. Minor; should close on timeline."),
    ),
    "won": (
        ("meeting", "Kickoff with {first} at {account}: onboarding plan agreed, admin "
                    "training next {weekday}."),
        ("email", "Welcome email to {first} with the onboarding checklist and support "
                  "contacts."),
        ("call", "Check-in with {first} after the first week: {seats} reps active, asking "
                 "about the forecasting module already."),
    ),
    "customer": (
        ("call", "Quarterly check-in with {first} at {account}. Adoption is good; they "
                 "may add seats next quarter. Next steps: send usage report."),
        ("meeting", "Business review with {contact}. Happy overall; want better reports "
                    "for their board. Possible expansion into the {product}."),
        ("email", "Sent {first} the release notes and invited their team to the webinar "
                  "on {weekday}."),
    ),
    "lost": (
        ("call", "{first} told me they're going with {competitor}. Price was the deciding "
                 "factor. Keep in touch for their renewal."),
        ("email", "Thanked {first} for the time and asked if we can reconnect next "
                  "quarter."),
    ),
    "nurture": (
        ("email", "Sent {first} our newsletter on forecasting; no reply yet."),
        ("call", "Tried {contact} again, no answer. Will park {account} for now."),
        ("note", "{account} not a fit right now; revisit when they grow the sales team."),
    ),
    "hot": (
        ("call", "Great call with {first}: budget approved for {amount}, the decision "
                 "maker is on board, and they want to sign before {close}. Next steps: "
                 "send the final order form."),
        ("email", "{first} asked for pricing on {seats} extra seats on top of the "
                  "{product}. Sent it the same day."),
        ("meeting", "Contract review with {first} and legal at {account}; only one "
                    "redline left. Security review passed. Timeline: signature this month."),
        ("call", "{first} says the CFO signed off and {competitor} is out. Asked for the "
                 "onboarding timeline so they can plan the rollout."),
        ("meeting", "Exec meeting with {contact} and their CEO. They confirmed we're the "
                    "vendor of choice; next steps are the order form and kickoff date."),
        ("email", "{first} sent back the redlined contract within a day and asked when we "
                  "can start onboarding."),
    ),
}

# phase → task titles. Same placeholders as the notes.
TASKS: dict[str, tuple[str, ...]] = {
    "intro": ("Call {contact} to qualify", "Send {first} the overview deck",
              "Book discovery with {account}"),
    "qualified": ("Book demo with {account}", "Confirm the decision maker with {first}",
                  "Send discovery recap to {first}"),
    "demo": ("Send demo recording to {first}", "Send security questionnaire to {account}",
             "Set up trial for {account}"),
    "proposal": ("Follow up with {first} on the proposal", "Walk {first} through ROI",
                 "Set up reference call for {account}"),
    "negotiation": ("Send revised order form to {first}", "Chase redlines with {account} legal",
                    "Get discount approval for {account}"),
    "customer": ("Quarterly check-in with {account}", "Send usage report to {first}",
                 "Prepare business review deck for {account}"),
    "nurture": ("Check in with {first} next quarter", "Send {first} the new case study"),
}
