"""The language predicates behind requirements 1, 2 and 4: what they read as a noun, a verb,
a role, a tool or a condition, and what they leave alone."""

from __future__ import annotations

import pytest
from conftest import REPO

from usm_rules.language.lexicons import reader

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


@pytest.mark.parametrize(("text", "role"), [
    # the customer's side as the work's partner or recipient: no who
    ("Agree the delivery date with the requesting business unit", ""),
    ("Notify the affected employees", ""),
    ("Keep the students and staff informed", ""),
    ("Gather the title team's goals for the season", ""),
    ("Record what the department wants", ""),
    ("Check operator safety before the restart", ""),
    # the provider's roles, still read
    ("Escalate structural faults to the network team", "team"),
    ("Hand the request to the service desk", "service desk"),
])
def test_the_customer_s_side_is_not_the_provider_s_who(text, role):
    assert p.role_term(text) == role


@pytest.mark.parametrize(("text", "tool"), [
    ("Reset the user's access to the intranet", ""),  # the system is what the work is on
    ("Renew the certificate of the customer portal", ""),
    ("Costs are worked out using the network's cost-sharing formula", ""),  # an agreed rule
    ("Score the request using the agreed criteria", ""),
    ("Publish the notice through the portal", "portal"),  # the means
    ("Send a reminder e-mail to the customer", "e-mail"),
    ("Assess the impact using the CMDB", "using"),
])
def test_a_system_as_the_object_of_the_work_is_not_its_means(text, tool):
    assert p.tool_term(text) == tool


@pytest.mark.parametrize(("title", "noun", "bare"), [
    ("2. Change", False, True), ("P3 - Recover", False, True), ("1) Agree", False, True),
    ("02 Incident Management", True, False),
])
def test_numbered_titles_are_read_without_their_number(title, noun, bare):
    assert bool(p.nominal_reason(title)) is noun and p.is_bare_verb(title) is bare


def test_the_last_of_a_list_of_questions_a_reporting_verb_governs_is_no_condition():
    assert p.condition_term("Customers are told what happened, whether they should boil their water, and when "
                            "service is expected back.") == ""
    assert p.condition_term("The desk is informed, and when the outage lasts an hour, escalate it.") == "when"


def test_names_for_duplicate_detection():
    assert p.normalised_name("Log the record.") == p.normalised_name("log  record") == "log record"
    assert p.near_key("Logging records") == p.near_key("Log the record") == "log record"
    assert p.near_key("Register the call") != p.near_key("Close the call")


@pytest.mark.parametrize(("title", "noun"), [
    ("Service Agreements", True), ("Problem Mgmt", True), ("Config Mgt", True), ("Incident", True),
    ("Security", True), ("Request Fulfilments", True),
    ("Recovering", False), ("Restore the service", False), ("Operate", False),
])
def test_plural_abbreviated_and_verbless_titles(title, noun):
    assert bool(p.nominal_reason(title)) is noun


@pytest.mark.parametrize(("title", "bare"), [("Recovering", True), ("Changing", True), ("Incidents", False)])
def test_bare_gerunds_read_as_verbs(title, bare):
    assert p.is_bare_verb(title) is bare


@pytest.mark.parametrize(("text", "actor"), [
    ("The service desk logs the call", "service desk"),
    ("Service desk registers the failure", "Service desk"),
    ("The link is repaired by the network team", "team"),
    ("The CAB approves the change", "CAB"),
    ("Escalate to the network team", ""),  # a mention: heuristic only
    ("Service desk tickets are closed", ""),  # 'tickets' is a noun here
    ("Restore the team sites of the customer", ""),  # an imperative: the role word is in the object
    ("Agree the service desk opening hours with the customer", ""),
    ("The problem manager logs the problem record", "manager"),
    ("Inform the customer about the restore time", ""),
    ("Agree the service level with the customer", ""),
])
def test_roles_as_subject_or_agent(text, actor):
    assert p.role_actor(text) == actor


@pytest.mark.parametrize(("text", "tool"), [
    ("The service desk registers every disruption in ServiceNow", "ServiceNow"),
    ("Create the purchase requisition in SAP", "SAP"),
    ("Fix the error in the portal", ""),  # the portal is what is worked on
    ("Repair the broken link on the portal", ""),  # 'link' is a noun here, not the recording verb
    ("Restore the customer's data in SAP", ""),
    ("Record whether the customer prefers contact by e-mail or by phone", ""),  # a choice, not the means
    ("Log the call in ServiceNow", "ServiceNow"), ("Notify the customer by e-mail", "e-mail"),
    ("Page the on-call engineer via PagerDuty", "PagerDuty"), ("Post the update in MS Teams", "MS Teams"),
    ("Restore the e-mail service", ""),  # the customer's service, not a channel
    ("Record the call manually", ""), ("Restore the agreed service", ""),
])
def test_named_tools_used_as_means(text, tool):
    assert p.named_tool(text) == tool


@pytest.mark.parametrize(("text", "clause", "term"), [
    ("If priority is P1, escalate", "If", "If"),
    ("Escalate to Change only if the fix is structural", "only if", "only if"),
    ("When the impact is high, inform the customer", "", "When"),  # may be a time: heuristic only
    ("Tell the customer when the service is back", "", ""),  # a reporting verb: a time, no condition
    ("Depending on the cause, raise a change or a problem", "Depending on", "Depending on"),
    ("Plan the work depending on the agreed delivery time", "", "depending on"),
    ("Ask the customer if the service works again", "", ""),
    ("Treat every incident as if it were urgent", "", ""),
    ("Record the cause, if known", "", ""),
    ("Keep a copy in case the customer asks for it", "", "in case"),
    ("Check if the service works again", "", ""),
    ("Keep the customer informed; otherwise reopen", "", "otherwise"),
])
def test_conditional_clauses_are_strong_other_wording_weak(text, clause, term):
    assert (p.condition_clause(text), p.condition_term(text)) == (clause, term)


@pytest.mark.parametrize(("text", "qualifier", "decision"), [
    ("Restore the service for gold customers first", "for gold customers", ""),
    ("Open a bridge call, priority 1 only", "priority 1 only", ""),
    ("Call back premium subscribers only", "premium subscribers only", ""),
    ("Decide whether to escalate", "", "Decide whether"),
    ("Approve or reject the request", "", "Approve or reject"),
    ("Assess the impact on the customer", "", ""),
    ("Agree priorities with the customer", "", ""),
    ("Agree the service levels for premium subscribers", "", ""),  # differentiated agreements are Agree's work
    ("Determine whether other services are affected", "", ""),  # diagnosis, not a branch
])
def test_qualifiers_and_hidden_decisions(text, qualifier, decision):
    assert (p.qualifier(text), p.decision(text)) == (qualifier, decision)


def test_outputs_only_the_provider_sees():
    assert p.output_internal("Updated CMDB") == "cmdb"
    assert p.output_internal("Closed ticket") == "ticket"
    assert p.output_internal("Restored service") == ""


def test_the_lemma_table_answers_as_lemminflect_does_for_every_word_we_read():
    from lemminflect import getAllLemmas

    from usm_rules.language.lemmatisers import lemma_table
    from usm_rules.language.reader import words

    texts = [path.read_text(encoding="utf-8") for folder in ("tests", "sample_processes")
             for path in (REPO / folder).glob("**/*.yaml")]
    vocabulary = {w for text in texts for w in words(text)} | {"all", "another", "'d", "ca", "wo", "zebra"}
    table = lemma_table()
    differ = {w: (table.lemmas(w), getAllLemmas(w)) for w in vocabulary if table.lemmas(w) != getAllLemmas(w)}
    assert not differ and len(vocabulary) > 1000, (len(vocabulary), dict(list(differ.items())[:5]))
