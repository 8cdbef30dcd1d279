"""The language predicates behind requirements 1, 2 and 4: what they read as a noun, a verb,
a role, a tool or a condition, and what they leave alone."""

from __future__ import annotations

import pytest

from usm_rules.lexicon import reader

p = reader("en")  # the English checks; Dutch ones in test_language.py


@pytest.mark.parametrize(("title", "noun"), [
    ("Incident Management", True), ("Configuration Management Process", True),
    ("Service Request Fulfilment", True), ("Change Enablement", True), ("Problem Resolution", True),
    ("Recover", False), ("Change", False), ("Restore the connection", False),
    ("Agree maintenance windows", False), ("Change the configuration", False), ("Document", False),
])
def test_noun_titles(title, noun):
    assert bool(p.nominal_reason(title)) is noun


@pytest.mark.parametrize(("title", "bare"), [
    ("Agree", True), ("Change", True), ("Recover", True), ("Operate", True), ("Improve", True),
    ("Resolve", True), ("Security", False), ("Handle incidents", False), ("Recovers", False),
])
def test_bare_verbs(title, bare):
    assert p.is_bare_verb(title) is bare


@pytest.mark.parametrize(("text", "term"), [
    ("If priority is P1, escalate to the major incident team", "If"),
    ("Escalate when the agreed restore time is breached", "when"),
    ("Restore the service unless the customer agrees to wait", "unless"),
    ("Record when the change was requested", ""),
    ("Check if the release works", ""),
    ("Register the failure", ""),
])
def test_conditions(text, term):
    assert p.condition_term(text) == term


def test_roles_and_tools():
    assert p.role_term("The service desk logs the call") == "service desk"
    assert p.tool_term("Log the call in ServiceNow") == "ServiceNow"
    assert p.tool_term("Notify the customer by e-mail") == "e-mail"
    assert p.role_term("Agree the service level with the customer") == ""
    assert p.tool_term("Restore the agreed service") == ""


def test_names_for_duplicate_detection():
    assert p.normalised_name("Log the record.") == p.normalised_name("log  record") == "log record"
    assert p.near_key("Logging records") == p.near_key("Log the record") == "log record"
    assert p.near_key("Register the call") != p.near_key("Close the call")
