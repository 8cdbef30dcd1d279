"""Which language a document is read in, and the Dutch language checks.

English checks are pinned in test_predicates.py; the corpora in tests/corpora pin whole models.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import check

from usm_rules.cli import cli
from usm_rules.language.detection import detect, reading
from usm_rules.language.lexicons import reader

nl = reader("nl")


@pytest.mark.parametrize(("text", "language"), [
    ("Register the failure. Classify the failure. Restore the agreed service.", "en"),
    ("Registreer de verstoring. Stel de prioriteit vast. Herstel de afgesproken dienst.", "nl"),
    ("Die Störung erfassen. Den vereinbarten Dienst wiederherstellen.", "de"),
    ("Enregistrer l'incident et rétablir le service convenu avec le client.", "fr"),
    # a title alone is too short for n-grams: the lexicons decide
    ("Incident Management", "en"), ("change process", "en"), ("Herstellen", "nl"), ("Wijzigingen", "nl"),
    ("usm", ""), ("", ""), ("12345", ""),
    # jargon-heavy English that lingua 2.2 reads as French or Swedish: the English lexicon overrules it
    ("BAI04 Managed Availability and Capacity. Maintain service availability, efficient management of "
     "resources and optimisation of system performance.", "en"),
])
def test_detection(text, language):
    assert detect(text).language == language


@pytest.mark.parametrize(("title", "bare"), [
    ("Afspreken", True), ("Wijzigen", True), ("Herstellen", True), ("Uitvoeren", True), ("Verbeteren", True),
    ("Registreren", True), ("Vastleggen", True),
    ("Incident", False), ("Wijzigingen", False), ("Afspraken", False), ("Beveiliging", False),
    ("Herstel de dienst", False), ("Plan", False),
])
def test_dutch_bare_verbs(title, bare):
    assert nl.is_bare_verb(title) is bare


@pytest.mark.parametrize(("title", "noun"), [
    ("Incidentbeheer", True), ("Wijzigingsbeheer", True), ("Configuratiemanagement", True),
    ("Wijzigingsproces", True), ("Het proces", True), ("Registratie", True), ("Aanvraagafhandeling", True),
    ("Herstellen", False), ("Afspreken", False), ("Registreer de melding", False), ("Leg de afspraak vast", False),
    ("Wijzig de configuratie", False),
])
def test_dutch_noun_titles(title, noun):
    assert bool(nl.nominal_reason(title)) is noun


@pytest.mark.parametrize(("text", "role"), [
    ("De servicedesk registreert de melding", "servicedesk"),
    ("Escaleer naar de tweede lijn", "tweede lijn"),
    ("De 2e-lijns specialist zoekt de oorzaak", "2e-lijns"),
    ("De probleemanalist onderzoekt de oorzaak", "probleemanalist"),
    ("De wijzigingsadviesraad beoordeelt het verzoek", "wijzigingsadviesraad"),
    ("Informeer de klant over het herstel", ""),
    ("Volg de richtlijn voor herstel", ""),
    ("Registreer de verstoring", ""),
])
def test_dutch_roles(text, role):
    assert nl.role_term(text) == role


@pytest.mark.parametrize(("text", "tool"), [
    ("Leg de melding vast in TOPdesk", "TOPdesk"), ("Bevestig het herstel per e-mail", "e-mail"),
    ("Voer de wijziging uit met behulp van het uitrolsysteem", "met behulp van"),
    ("Leg de afspraak vast", ""), ("Herstel de afgesproken dienst", ""),
])
def test_dutch_tools(text, tool):
    assert nl.tool_term(text) == tool


@pytest.mark.parametrize(("text", "condition"), [
    ("Indien prioriteit 1, escaleer de melding", "Indien"),
    ("Als de klant akkoord is, sluit de melding", "Als"),
    ("Sluit de melding; wanneer de klant reageert, heropen haar", "wanneer"),
    ("Alleen als de klant akkoord is, wordt de melding gesloten", "Alleen als"),
    ("Herstel de dienst, tenzij de klant wil wachten", "tenzij"),
    ("Registreer de melding als incident", ""),  # "als" inside a clause is "as"
    ("Noteer wanneer de wijziging is aangevraagd", ""),
    ("Registreer de verstoring", ""),
])
def test_dutch_conditions(text, condition):
    assert nl.condition_term(text) == condition


@pytest.mark.parametrize(("text", "qualifier", "decision"), [
    ("Alleen voor gouden klanten wordt een workaround gedocumenteerd", "Alleen voor gouden klanten", ""),
    ("Bel terug, prioriteit 1 alleen", "prioriteit 1 alleen", ""),
    ("Keur de aanvraag goed of af", "", "Keur de aanvraag goed of af"),
    ("Beslis of de wijziging doorgaat", "", "Beslis of"),
    ("Kies de maatregel met de klant", "", ""),
])
def test_dutch_qualifiers_and_decisions(text, qualifier, decision):
    assert (nl.qualifier(text), nl.decision(text)) == (qualifier, decision)


@pytest.mark.parametrize(("text", "actor", "tool"), [
    ("De servicedesk registreert de melding", "servicedesk", ""),
    ("De melding wordt door de tweede lijn opgelost", "tweede lijn", ""),
    ("Leg de melding vast in TOPdesk", "", "TOPdesk"),
    ("Bevestig het herstel per e-mail", "", "e-mail"),
    ("Escaleer naar de tweede lijn", "", ""),  # a mention, not the one who acts: heuristic only
    ("Herstel de e-maildienst", "", ""),
])
def test_dutch_strong_evidence(text, actor, tool):
    assert (nl.role_actor(text), nl.named_tool(text)) == (actor, tool)


def test_dutch_duplicate_keys_meet_across_voices():
    assert nl.near_key("Registreer de meldingen") == nl.near_key("Melding registreren")
    assert nl.near_key("Registreer de melding") != nl.near_key("Sluit de melding af")
    assert nl.normalised_name("Leg de afspraak vast.") == nl.normalised_name("leg  afspraak vast")


GERMAN = """\
apiVersion: usm/v1
kind: Process
metadata: {name: wiederherstellen, title: Störungsmanagement}
spec:
  activities:
    - {id: w-1, name: Der Servicedesk erfasst die Störung im Ticketsystem}
    - {id: w-2, name: Wenn die Priorität hoch ist, den Bereitschaftsdienst alarmieren}
"""
ENGLISH = """\
apiVersion: usm/v1
kind: Process
metadata: {name: recover, title: Incident Management}
spec:
  activities:
    - {id: rec-1, name: The service desk logs the call in ServiceNow}
"""


def rules(result) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in result.findings if f.requirement in (0, 1, 2, 4)]


def test_a_third_language_gets_structural_checks_and_one_note(tree):
    tree({"de.yaml": GERMAN})
    result = check("de.yaml")
    assert rules(result) == [(3, "USM0015")]
    note = result.findings[0]
    assert note.severity.value == "info" and note.subject == "Process/wiederherstellen"
    assert "the text reads as 'de' (detected); usm-rules reads en, nl" in note.message
    assert [(d.name, d.language, d.source) for d in result.languages] == [("wiederherstellen", "de", "detected")]


def test_a_stated_language_wins_over_detection(tree):
    stated = ENGLISH.replace("metadata: {name: recover,", "metadata: {name: recover, language: de,")
    tree({"en.yaml": stated, "de.yaml": GERMAN.replace("title: Störungsmanagement}", "title: Recover, language: en}")})
    result = check(".")
    assert [(f.file, f.rule) for f in result.findings if f.rule == "USM0015"] == [("en.yaml", "USM0015")]
    assert "reads as 'de' (metadata)" in next(f.message for f in result.findings if f.rule == "USM0015")
    # the German text read as English: checked, whatever it finds
    assert {(d.name, d.language, d.source) for d in result.languages} == {
        ("recover", "de", "metadata"), ("wiederherstellen", "en", "metadata")}


def test_the_configured_language_applies_to_every_document(tree):
    tree({".usm-rules.yaml": "language: nl-BE\n", "en.yaml": ENGLISH})
    result = CliRunner().invoke(cli, ["check", "-f", "json", "."])
    languages = json.loads(result.stdout)["languages"]
    assert languages == [{"file": "en.yaml", "line": 1, "process": "recover", "language": "nl",
                          "source": "configuration"}]


def test_the_language_setting_is_validated(tree):
    tree({".usm-rules.yaml": "language: Nederlands!\n", "en.yaml": ENGLISH})
    result = CliRunner().invoke(cli, ["check", "."])
    assert result.exit_code == 2 and ".usm-rules.yaml: language:" in result.stderr


def test_english_is_read_as_english(tree):
    tree({"en.yaml": ENGLISH})
    result = check("en.yaml")
    assert rules(result) == [(3, "USM0201"), (6, "USM0105"), (6, "USM0106")]
    assert [d.language for d in result.languages] == ["en"]


def test_a_long_text_is_detected_from_its_first_words_only():
    from usm_rules.language.detection import SAMPLE, sample

    text = " ".join(["Register the failure and restore the service for the customer"] * 100)
    cut = sample(text)
    assert len(cut) <= SAMPLE and text.startswith(cut) and text[len(cut)] == " "
    assert sample("Recover") == "Recover"
    activities = [{"id": f"rec-{i}", "name": "Restore the service for the customer"} for i in range(300)]
    data = {"kind": "Process", "metadata": {"name": "recover"}, "spec": {"activities": activities}}
    assert reading(data).language == "en"
