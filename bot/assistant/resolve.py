"""Names as people type them → CRM records: exact, then fuzzy; create, or ask when unsure.

"jane" finds "Jane Doe", "ACME" finds "Acme Corp"; an unknown name creates the record
(said back in the reply, with Undo); two close matches raise Ambiguous with the choices.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select

from bot.assistant.context import Ctx, pin_key
from bot.nlu.lexicon import (
    FIRST_NAMES,
    HONORIFICS,
    MONTHS,
    NOT_NAMES,
    NUMBER_WORDS,
    STAGES,
    SURNAMES,
    TYPO_TARGETS,
    WEEKDAYS,
    words,
)
from crm_store.errors import Ambiguous, BadInput, NotFound
from crm_store.models import Account, Contact, Deal, DealStatus, User
from crm_store.services import accounts, contacts

GOOD = 88  # a fuzzy score this high is a match
CLOSE = 6  # matches within this many points of the best are a tie
_COMPANY_SUFFIX = re.compile(
    r"\b(inc|corp|corporation|co|llc|ltd|limited|gmbh|plc|group|company|the)\b\.?", re.I)
_POSSESSIVE = re.compile(r"['’]s$|['’]$", re.I)
ME = {"me", "my", "mine", "myself", "i"}


# Words a record is never named by on its own, beyond the lexicon's lists: a misread
# "the client" or "pricing" must not become an account.
_COMMON = words("""
    client clients customer customers prospect prospects someone somebody anyone guy guys
    lady person people them him us all it there here back company vendor partner boss
    lead leads budget pricing price prices quote invoice contract proposal thing stuff
    call notes update renewal meeting week month year day morning afternoon evening
""")
_AMOUNT_LIKE = re.compile(r"[$€£]?\s*[\d.,]+\s*(?:k|m|mm|bn|b|%|usd|eur|gbp)?", re.I)


def not_a_name(name: str) -> bool:
    """Whether `name` cannot be a new record's name: a single letter, a number or amount
    ("250K"), or one common English word."""
    typed = clean_name(name)
    bare = re.sub(r"[^\w]", "", typed)
    if len(bare) <= 1 or _AMOUNT_LIKE.fullmatch(typed):
        return True
    if len(typed.split()) > 1:
        return False
    word = typed.lower()
    if word in FIRST_NAMES or word in SURNAMES:  # "Jan", "Mark": common words, and names
        return False
    return word in NOT_NAMES or word in _COMMON or word in NUMBER_WORDS or \
        word in STAGES or word in MONTHS or word in WEEKDAYS or word in TYPO_TARGETS


def _refuse_to_create(kind: str, name: str) -> None:
    if not_a_name(name):
        raise BadInput(f"'{clean_name(name)}' doesn't look like the name of {kind}, so I "
                       f"didn't create one. Which {kind.split()[-1]} did you mean?")


def clean_name(name: str) -> str:
    """A typed name without a trailing possessive or surrounding punctuation."""
    return _POSSESSIVE.sub("", name.strip().strip(".,;:!?\"'")).strip()


def _company_key(name: str) -> str:
    return " ".join(_COMPANY_SUFFIX.sub(" ", utils.default_process(name)).split())


def _pick(ctx: Ctx, kind: str, typed: str, candidates: dict[int, str],
          scorer=fuzz.WRatio, key=utils.default_process) -> int | None:
    """The id of the one candidate matching `typed`; Ambiguous when several do."""
    pinned = ctx.pinned_for(kind, typed)
    if pinned in candidates:
        return pinned
    wanted = key(typed)
    exact = [i for i, n in candidates.items() if key(n) == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise Ambiguous(f"There are {len(exact)} {kind}s called '{typed}'. Which one?",
                        [(i, candidates[i]) for i in exact[:5]], field=pin_key(kind, typed))
    scored = process.extract(wanted, {i: key(n) for i, n in candidates.items()},
                             scorer=scorer, score_cutoff=GOOD, limit=5)
    if not scored:
        return None
    best = scored[0][1]
    ties = [(i, candidates[i]) for _, score, i in scored if best - score < CLOSE]
    if len(ties) == 1:
        return ties[0][0]
    raise Ambiguous(f"'{typed}' could be several {kind}s. Which one?", ties,
                    field=pin_key(kind, typed))


def find_account(ctx: Ctx, name: str) -> Account | None:
    """The workspace's account called (about) `name`, or None."""
    typed = clean_name(name)
    exact = accounts.find_accounts(ctx.session, team_id=ctx.team_id, name=typed)
    if len(exact) == 1 and ctx.pinned_for("account", typed) is None:
        return exact[0]
    names = dict(ctx.session.execute(
        select(Account.id, Account.name).where(Account.team_id == ctx.team_id)).all())
    found = _pick(ctx, "account", typed, names, key=_company_key)
    return ctx.session.get(Account, found) if found else None


def resolve_account(ctx: Ctx, name: str, *, create: bool = True) -> Account:
    """The account called `name`, created (and said so) when there is none."""
    account = find_account(ctx, name)
    if account is not None:
        return account
    if not create:
        raise NotFound(f"I don't know an account called '{clean_name(name)}'.")
    _refuse_to_create("an account", name)
    # Get-or-create: another message naming the same new account at this moment may
    # have created it since we looked; then that one is ours too.
    account, created = accounts.get_or_create_account(
        ctx.session, actor=ctx.user, team_id=ctx.team_id, name=clean_name(name),
        owner_id=ctx.user.id)
    if created:
        ctx.created.append(f"new account *{account.name}*")
    return account


def find_contact(ctx: Ctx, name: str, *, account: Account | None = None) -> Contact | None:
    """The contact called (about) `name`, preferring people at `account`."""
    typed = clean_name(name)
    query = select(Contact.id, Contact.name).where(Contact.team_id == ctx.team_id)
    if account is not None:
        at_account = dict(ctx.session.execute(query.where(Contact.account_id == account.id)).all())
        found = _pick(ctx, "contact", typed, at_account, scorer=_person_score, key=_person_key)
        if found:
            return ctx.session.get(Contact, found)
    exact = contacts.find_contacts(ctx.session, team_id=ctx.team_id, name=typed)
    if len(exact) == 1 and ctx.pinned_for("contact", typed) is None:
        return exact[0]
    candidates = dict(ctx.session.execute(query).all())
    found = _pick(ctx, "contact", typed, candidates, scorer=_person_score, key=_person_key)
    return ctx.session.get(Contact, found) if found else None


def _person_key(name: str) -> str:
    """A person's name as matched: "Dr. Salma Fathy" is "salma fathy", "Herr Dr. Brandt"
    is "brandt"."""
    words = utils.default_process(name).split()
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _person_score(query: str, choice: str, **kwargs) -> float:
    # "jane" should match "jane doe" fully: a first name alone is a strong signal.
    q, c = query.split(), choice.split()
    if len(q) == 1 and c and (q[0] == c[0] or (len(c) > 1 and q[0] == c[-1])):
        return 95.0
    return fuzz.WRatio(query, choice, **kwargs)


def resolve_contact(ctx: Ctx, name: str, *, account: Account | None = None,
                    create: bool = True) -> Contact:
    """The contact called `name`, created at `account` (and said so) when there is none."""
    contact = find_contact(ctx, name, account=account)
    if contact is not None:
        return contact
    if not create:
        raise NotFound(f"I don't know anyone called '{clean_name(name)}'.")
    _refuse_to_create("a contact", name)
    contact, created = contacts.get_or_create_contact(
        ctx.session, actor=ctx.user, team_id=ctx.team_id, name=clean_name(name),
        account_id=account.id if account else None)
    if created:
        where = f" at {account.name}" if account else ""
        ctx.created.append(f"new contact *{contact.name}*{where}")
    return contact


def resolve_user(ctx: Ctx, name: str) -> User:
    """A teammate by name; "me", "my", "I" are the speaker."""
    typed = clean_name(name)
    if typed.lower() in ME:
        return ctx.user
    names = dict(ctx.session.execute(
        select(User.id, User.name).where(User.team_id == ctx.team_id, User.is_active.is_(True))
    ).all())
    found = _pick(ctx, "user", typed, names, scorer=_person_score)
    if found is None:
        raise NotFound(f"I don't know a teammate called '{typed}'.")
    return ctx.session.get(User, found)


def _by_title(typed: str, account_name: str, pool: list[Deal]) -> Deal | None:
    """The one deal of an account whose title the typed words name beyond the account's
    own ("Greenstone Logistics team expansion" → "Team expansion"), or None when no
    title fits or two fit equally."""
    own = set(utils.default_process(account_name).split())
    rest = " ".join(w for w in utils.default_process(clean_name(typed)).split() if w not in own)
    if not rest:
        return None
    scored = sorted(((fuzz.token_set_ratio(rest, utils.default_process(d.title)), i)
                     for i, d in enumerate(pool)), reverse=True)
    best, i = scored[0]
    if best < GOOD or (len(scored) > 1 and best - scored[1][0] < CLOSE):
        return None
    return pool[i]


def resolve_deal(ctx: Ctx, name: str | None, *, contact: Contact | None = None) -> Deal:
    """The deal meant by an account name or a deal title; open deals first."""
    if ctx.pinned_for("deal", name) is not None:
        deal = ctx.session.get(Deal, ctx.pinned_for("deal", name))
        if deal is not None and deal.team_id == ctx.team_id:
            return deal
    if not name and contact is None:
        raise NotFound("Which deal? Name its account or title.")
    query = select(Deal).where(Deal.team_id == ctx.team_id)
    account = find_account(ctx, name) if name else None
    if account is not None:
        query = query.where(Deal.account_id == account.id)
    elif contact is not None and contact.account_id:
        query = query.where(Deal.account_id == contact.account_id)
    else:
        titles = dict(ctx.session.execute(
            select(Deal.id, Deal.title).where(Deal.team_id == ctx.team_id)).all())
        found = _pick(ctx, "deal", clean_name(name or ""), titles)
        if found is None:
            raise NotFound(f"I can't find a deal for '{clean_name(name or '')}'.")
        return ctx.session.get(Deal, found)
    found_deals = list(ctx.session.scalars(query.order_by(Deal.updated_at.desc())))
    open_deals = [d for d in found_deals if d.status == DealStatus.OPEN]
    pool = open_deals or found_deals
    if not pool:
        where = account.name if account else (name or "them")
        raise NotFound(f"{where} has no deal yet. Say e.g. 'new deal {where} 20k'.")
    if len(pool) > 1 and name and account is not None:
        titled = _by_title(name, account.name, pool)
        if titled is not None:
            return titled
    if len(pool) > 1:
        raise Ambiguous(f"{account.name if account else name} has {len(pool)} deals. Which one?",
                        [(d.id, f"{d.title} ({d.stage})") for d in pool[:5]],
                        field=pin_key("deal", name))
    return pool[0]
