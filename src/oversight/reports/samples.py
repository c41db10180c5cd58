"""Samples of report bodies and answers, and of the statistics, for the API documentation."""

from typing import Any

from oversight import samples as ex

CREATE_NEAR_MISS: dict[str, Any] = {
    "kind": "near_miss",
    "occurred_on": "2026-03-02",
    "category": "fraud",
    "vector": "phishing",
    "victim_type": "sme",
    "outcome": "prevented",
    "financial_loss_gbp": 0,
    "downtime_hours": 0,
    "reported_to_action_fraud": False,
    "description": "A bookkeeper at a small builders' merchant was asked by a 'supplier' to "
    "change bank details for a £18,400 invoice. She rang the supplier on a known number and "
    "the payment was stopped.",
    "anonymous_to_peers": True,
    "include_in_statistics": True,
    "tlp": "AMBER",
}

CREATE_INCIDENT: dict[str, Any] = {
    "kind": "incident",
    "occurred_on": "2026-02-17",
    "category": "ransomware",
    "vector": "unpatched_software",
    "victim_type": "charity",
    "outcome": "loss",
    "financial_loss_gbp": 42000,
    "downtime_hours": 96,
    "reported_to_action_fraud": True,
    "description": "A county charity's file server was encrypted through an unpatched "
    "SSL-VPN appliance; four days without case records.",
    "anonymous_to_peers": False,
    "tlp": "AMBER+STRICT",
    "recipient_agencies": [ex.ROCU],
    "protective_marking": "OFFICIAL-SENSITIVE",
}

UPDATE: dict[str, Any] = {"outcome": "contained", "financial_loss_gbp": 3500}

WITHDRAWAL: dict[str, Any] = {"reason": "Reported twice: the same attempt as an earlier report"}

READ: dict[str, Any] = CREATE_NEAR_MISS | {
    "id": ex.REPORT,
    "agency_id": ex.POLICE,
    "author_id": ex.POLICE_EDITOR,
    "protective_marking": "OFFICIAL",
    "recipient_agencies": [],
    "recipient_users": [],
    "status": "submitted",
    "withdrawn_at": None,
    "withdrawal_reason": None,
    "bulletin_id": None,
    "version": 1,
    "created_at": "2026-03-02T15:40:12Z",
    "updated_at": "2026-03-02T15:40:12Z",
}
READ = ex.names_of(READ)

CREATE_SAMPLES = {
    "near_miss": {"summary": "A near miss, anonymous to peers", "value": CREATE_NEAR_MISS},
    "incident": {"summary": "An incident with a loss, AMBER+STRICT", "value": CREATE_INCIDENT},
}

STATISTICS: dict[str, Any] = {
    "group_by": "vector",
    "from": "2026-01-01",
    "to": "2026-12-31",
    "cells": [
        {"key": "phishing", "count": 212, "financial_loss_gbp": 402000, "suppressed": False},
        {"key": "account_takeover", "count": 95, "financial_loss_gbp": 88000, "suppressed": False},
        {"key": "insider", "count": None, "financial_loss_gbp": None, "suppressed": True},
        {"key": "supply_chain", "count": None, "financial_loss_gbp": None, "suppressed": True},
    ],
    "total": {"count": 311, "financial_loss_gbp": 497000, "suppressed": False},
    "suppressed_cells": 2,
    "rule": {"min_reports": 5, "min_agencies": 3, "secondary": True},
}

SUMMARY: dict[str, Any] = {
    "from": "2026-01-01",
    "to": "2026-12-31",
    "reports": 734,
    "against_individuals_share": 0.84,
    "against_organisations_share": 0.16,
    "financial_loss_gbp": 1500000,
    "top_vectors": [
        {"key": "phishing", "count": 260, "financial_loss_gbp": 540000, "suppressed": False}
    ],
    "near_miss_share": 0.2,
    "reported_to_action_fraud_share": 0.61,
    "suppressed": False,
    "rule": {"min_reports": 5, "min_agencies": 3, "secondary": True},
}
