"""A year of incident and near-miss reports from the partnership's agencies, that reproduce
the seed paper's headline figures: 734 reports, 84 % against individuals and 16 % against
organisations, £1.5m lost, with near misses too.

Written in one flush (the audit trail records each report as it would any other).
"""

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.accounts.models import User
from oversight.demo.identity import Identity
from oversight.reports.models import Report

YEAR_FROM = date(2019, 6, 1)
YEAR_TO = date(2020, 5, 31)
REPORTS = 734
AGAINST_INDIVIDUALS = 617  # 84 %
LOSS_GBP = 1_500_000
NEAR_MISSES = 110  # 15 %: prevented, no loss

INDIVIDUAL = [
    ("fraud", "phishing"),
    ("fraud", "social_engineering"),
    ("account_takeover", "account_takeover"),
    ("account_takeover", "weak_credentials"),
    ("phishing", "phishing"),
    ("data_theft", "social_engineering"),
]
ORGANISATION = [
    ("ransomware", "unpatched_software"),
    ("phishing", "phishing"),
    ("fraud", "social_engineering"),
    ("ddos", "ddos"),
    ("data_theft", "insider"),
    ("malware", "supply_chain"),
]
ORGANISATIONS = ["sme", "sme", "sme", "charity", "public_sector", "education", "large_business"]
TEXT = {
    "fraud": "A payment was redirected after a convincing message from a known contact.",
    "phishing": "A message imitating a delivery firm collected card details.",
    "account_takeover": "An email account was taken over and used to message contacts.",
    "data_theft": "Personal details were copied and offered for sale.",
    "ransomware": "Files on a shared server were encrypted and a ransom demanded.",
    "ddos": "A booking website was flooded with traffic for a morning.",
    "malware": "A supplier's update carried malware onto office computers.",
}


def load(session: Session, ident: Identity) -> int:
    """The reports, as the agencies' people would have submitted them; their count."""
    rng = random.Random(17)  # noqa: S311 (a fixed demo set, not a secret)
    agencies = [a.id for a in ident.agencies.values()]
    authors = dict(session.execute(select(User.agency_id, User.id).order_by(User.email)).all())
    days = (YEAR_TO - YEAR_FROM).days + 1
    near = set(rng.sample(range(REPORTS), NEAR_MISSES))
    rows = []
    for n in range(REPORTS):
        individual = n < AGAINST_INDIVIDUALS
        category, vector = rng.choice(INDIVIDUAL if individual else ORGANISATION)
        agency = agencies[n % len(agencies)]
        kind = "near_miss" if n in near else "incident"
        outcome = "prevented" if n in near else rng.choice(["loss", "loss", "contained"])
        rows.append(
            Report(
                agency_id=agency,
                author_id=authors.get(agency),
                kind=kind,
                occurred_on=YEAR_FROM + timedelta(days=rng.randrange(days)),
                category=category,
                vector=vector,
                victim_type="individual" if individual else rng.choice(ORGANISATIONS),
                outcome=outcome,
                financial_loss_gbp=0,
                downtime_hours=None if individual else float(rng.randrange(0, 72)),
                reported_to_action_fraud=rng.random() < 0.6,
                description=TEXT[category],
                anonymous_to_peers=rng.random() < 0.3,
                include_in_statistics=True,
                status="submitted",
                tlp=rng.choice(["GREEN", "AMBER", "AMBER"]),
                protective_marking="OFFICIAL",
                recipient_agencies=[],
                recipient_users=[],
                names_agencies=False,
            )
        )
    _share_losses(rng, [r for r in rows if r.outcome == "loss"])
    session.add_all(rows)
    session.flush()
    return len(rows)


def _share_losses(rng: random.Random, losses: list[Report]) -> None:
    """Spread exactly LOSS_GBP over the reports that lost money, a few large, most small."""
    weights = [rng.paretovariate(1.5) for _ in losses]
    scale = LOSS_GBP / sum(weights)
    amounts = [int(w * scale) for w in weights]
    amounts[-1] += LOSS_GBP - sum(amounts)
    for report, amount in zip(losses, amounts, strict=True):
        report.financial_loss_gbp = amount
