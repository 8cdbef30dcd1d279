"""The rule language's vocabulary: every fact type, its attributes and the places it points at.

One source for the fact builder (which fills the attributes), the condition compiler and the
catalogue (which refuse anything not named here), the rule schema's fact-type enum (a test
keeps them equal) and the generated reference for rule authors, ``docs/facts.md``. A leaf
module: it imports nothing of the package, so loading a rule pack never loads the lexicons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Every fact also carries these two; the engine uses them, rules never test them.
ENGINE_ATTRIBUTES = {
    "type": "the fact type (one of the names below)",
    "fid": "the fact's identity in the engine, unique per run; to match each unordered pair of facts once, "
           "a rule writes `pairedWith: ALIAS`, never a test on `fid`",
}
# What a finding is evidence of, for readers that group findings (the audit report's reclassification).
ASPECTS = ("who", "how", "condition")


@dataclass(frozen=True)
class FactType:
    """One kind of fact: what it stands for, what it carries, where a finding about it points."""

    name: str
    meaning: str
    at: str  # what the fact's own position ("at") is
    attributes: dict[str, str]  # attribute -> meaning
    positions: dict[str, str] = field(default_factory=dict)  # further places a finding may point at
    aspects: dict[str, str] = field(default_factory=dict)  # position -> aspect it is evidence of
    aspect_attribute: str = ""  # an attribute whose value is the aspect (who, how, condition)
    language: frozenset[str] = frozenset()  # attributes read from text with a language's lexicon


_TYPES = (
    FactType(
        "Document", "Every usm document whose kind and name can be read, valid or not.", "its `metadata.name`",
        {"kind": "the document's `kind`", "name": "its `metadata.name`"},
    ),
    FactType(
        "Model", "A ProcessModel.", "its `metadata.name`",
        {"name": "the model's name", "managementSystem": "its `spec.managementSystem` (\"\" when absent)",
         "processCount": "how many processes `spec.processes` lists",
         "linkCount": "how many links join two different listed processes: forks, and consecutive steps of a "
                      "workflow's path",
         "components": "into how many groups the listed processes fall when joined by those links (1: one "
                       "connected model)",
         "isolated": "how many listed processes no link joins to another"},
        {"processes": "the `processes` key"},
    ),
    FactType(
        "ModelRef", "One mention of a process in a model: a member, a fork end or a workflow step.",
        "the process name as written in the model",
        {"model": "the model's name", "process": "the process named",
         "role": "`member` (in `spec.processes`), `fork` (a `from` or `to` of `spec.forks`) or `workflow` "
                 "(a step of a workflow's `path`)",
         "linked": "for a member: whether a fork or a workflow joins it to another listed process"},
    ),
    FactType(
        "Process", "A Process document.", "its `metadata.name`",
        {
            "name": "the process's name",
            "title": "its `metadata.title`, or its name when there is none",
            "model": "`spec.model` (\"\" when absent)",
            "format": "the input format the process was read from: `yaml`, or `bpmn` for a process of a BPMN 2.0 "
                      "diagram",
            "hasPurpose": "whether `spec.purpose` is given and not empty",
            "hasOutput": "whether `spec.output` is given and not empty",
            "output": "`spec.output` as written",
            "outputKey": "`spec.output` in lower-case words: equal keys mean the same output",
            "recipient": "`spec.outputRecipient` (`customer`, `provider` or \"\")",
            "hasTrigger": "whether `spec.trigger` is given and not empty",
            "hasCountedAs": "whether `spec.countedAs` is given and not empty",
            "hasControl": "whether `spec.control` is given",
            "hasManager": "whether `spec.control.manager` is given and not empty",
            "hasSteering": "whether `spec.control.steering` holds an agreement",
            "hasInforming": "whether `spec.control.informing` holds a measure",
            "informsImprovement": "whether a measure's purpose is `improvement`",
            "informsAccountability": "whether a measure's purpose is `accountability`",
            "language": "the language the document was read in (`en`, `nl`...), or \"\" when it is not one "
                        "usm-rules reads: then no language attribute is tested",
            "titleNoun": "why the title reads as a noun (\"contains 'management'\", a nominalisation), or \"\"",
            "titleBareVerb": "whether the title is one word the lexicon knows as a bare verb",
            "titleArea": "a word of the title that names an area of attention (security, capacity...), or \"\"",
            "titleInternal": "a word of the title that names provider-internal work (testing, monitoring...), or \"\"",
            "outputInternal": "a word of the output that only the provider sees (CMDB, ticket, test report...), "
                              "or \"\"",
        },
        {"title": "`metadata.title` (its name when there is no title)", "spec": "the `spec` key",
         "output": "`spec.output`", "recipient": "`spec.outputRecipient`", "model": "`spec.model`",
         "control": "the `control` key", "steering": "the `steering` key (the `control` key when there is none)",
         "informing": "the `informing` key (the `control` key when there is none)"},
        language=frozenset({"titleNoun", "titleBareVerb", "titleArea", "titleInternal", "outputInternal"}),
    ),
    FactType(
        "Activity", "An activity of a Process.", "its `id`",
        {
            "process": "the process's name",
            "id": "the activity's `id`",
            "name": "its `name`",
            "order": "its place in `spec.activities`, from 0",
            "language": "the language its process was read in, or \"\" (see Process)",
            "normName": "its name in lower case without punctuation or articles: equal means the same activity",
            "nearKey": "the content words of its name in base form, sorted: equal means nearly the same activity",
            "nextCount": "how many activities `next` names",
            "roleTerm": "a role or team its name or description names, or \"\"",
            "rolePhrase": "that role with the word that qualifies it, in lower case (\"title team\"), or \"\": "
                          "what a Customer fact's phrase is compared with",
            "roleActor": "a role or team that is the subject (\"the service desk logs...\") or the agent (\"... by the "
                         "network team\") of its name or description, or \"\": strong evidence",
            "toolTerm": "a tool, system, channel or how-word (using, via, manually) its text names, or \"\"",
            "toolNamed": "a named tool, system or channel its text uses as a means (\"in ServiceNow\", \"by "
                         "e-mail\"), or \"\": strong evidence",
            "conditionTerm": "conditional wording in its name or description (if, unless, when, otherwise...), or \"\"",
            "conditionClause": "a conditional clause governing it (if, unless, in case, depending on, only if, a "
                               "clause-initial when), or \"\": strong evidence",
            "qualifierTerm": "a customer-class qualifier (\"for gold customers\", \"priority 1 only\"), or \"\": "
                             "strong evidence",
            "decisionTerm": "a decision hidden in it (\"decide whether\", \"approve or reject\"), or \"\"",
        },
        {"name": "its `name`", "next": "the `next` key", "roleTerm": "the name or description naming the role",
         "roleActor": "the name or description naming the role", "toolTerm": "the name or description naming the tool",
         "toolNamed": "the name or description naming the tool", "conditionTerm": "the text stating the condition",
         "conditionClause": "the text stating the condition", "qualifierTerm": "the text stating the qualifier",
         "decisionTerm": "the text stating the decision"},
        aspects={"roleTerm": "who", "roleActor": "who", "toolTerm": "how", "toolNamed": "how",
                 "conditionTerm": "condition", "conditionClause": "condition", "qualifierTerm": "condition",
                 "decisionTerm": "condition"},
        language=frozenset({"nearKey", "roleTerm", "rolePhrase", "roleActor", "toolTerm", "toolNamed", "conditionTerm",
                            "conditionClause", "qualifierTerm", "decisionTerm"}),
    ),
    FactType(
        "Customer", "A role or team a Process's `purpose` or `output` names, other than as its actor: the "
        "customer the process is for (\"Lock in, with each title team, a season plan\").",
        "the `purpose` or `output`",
        {"process": "the process's name", "phrase": "the role with the word that qualifies it, in lower case, as "
                                                     "an Activity's `rolePhrase` writes it (only from a "
                                                     "text read in a language: no language attribute to test)"},
    ),
    FactType(
        "ActivityKey", "A key of a process activity that says who, how or under which condition.", "the key",
        {"process": "the process's name", "activity": "the activity's `id`", "name": "the activity's `name`",
         "key": "the key as written (`performer`, `tool`, `condition`...)",
         "kind": "`who` (a role, team or owner), `how` (a tool, system, channel or method) or `condition`"},
        aspect_attribute="kind",
    ),
    FactType(
        "ActivityId", "An activity id a Process declares, valid or not: what `next`, `mapsTo` and steps refer to.",
        "the `id`", {"process": "the process's name", "id": "the activity's `id`"},
    ),
    FactType(
        "Edge", "One `next` link between two activities of a process.", "the target as written in `next`",
        {"process": "the process's name", "source": "the activity the link leaves",
         "target": "the activity it names", "sourceOrder": "the `order` of the source activity"},
    ),
    FactType(
        "SubProcess", "A sub-process of a Process.", "its `name`",
        {"process": "the process's name", "name": "the sub-process's name",
         "ownKey": "`output` or `trigger` when the sub-process has one of its own (not the process's), else \"\""},
        {"ownKey": "that `output` or `trigger` key"},
    ),
    FactType(
        "SubStep", "An activity a sub-process lists.", "the activity id in the sub-process's list",
        {"process": "the process's name", "subprocess": "the sub-process's name", "activity": "the activity id"},
    ),
    FactType(
        "MappedActivity", "An activity of a Practice or Project.", "its `id`",
        {"ownerKind": "`Practice` or `Project`", "owner": "the practice's or project's name",
         "id": "the activity's `id`", "name": "its `name`", "mapsTo": "the process activity it maps to, or \"\""},
        {"mapsTo": "its `mapsTo`"},
    ),
    FactType(
        "Project", "A Project document.", "its `metadata.name`",
        {"name": "the project's name",
         "follows": "`missing` (no `spec.follows`), `empty` (an empty list) or `some`"},
        {"spec": "the `spec` key", "follows": "the `follows` key"},
    ),
    FactType(
        "Follows", "A process a Project follows.", "the process name in `follows`",
        {"project": "the project's name", "process": "the process named"},
    ),
    FactType(
        "Routine", "A Procedure or WorkInstruction document.", "its `metadata.name`",
        {"kind": "`Procedure` or `WorkInstruction`", "name": "its name", "process": "`spec.process`, or \"\""},
        {"process": "`spec.process`"},
    ),
    FactType(
        "RoutineStep", "A step of a Procedure or WorkInstruction.", "the step's `activity`",
        {"kind": "`Procedure` or `WorkInstruction`", "owner": "the routine's name",
         "activity": "the process activity the step is about", "hasRaci": "whether the step has a `raci`",
         "accountable": "how many profiles of its `raci` are `A`"},
        {"raci": "the `raci` key"},
    ),
)

FACT_TYPES: dict[str, FactType] = {fact.name: fact for fact in _TYPES}
# What the engine sees of each type: its attributes plus the engine's own.
FACT_ATTRIBUTES: dict[str, frozenset[str]] = {
    fact.name: frozenset((*ENGINE_ATTRIBUTES, *fact.attributes)) for fact in _TYPES
}
# Where a rule's ``report.at`` may point: the fact's own place ("at") or one of its positions.
FACT_POSITIONS: dict[str, frozenset[str]] = {fact.name: frozenset(("at", *fact.positions)) for fact in _TYPES}
# Attributes read from text with a language's lexicon: a test on one only matches facts whose
# ``language`` is supported (the compiler adds that test), so no rule judges a text it cannot read.
LANGUAGE_ATTRIBUTES: dict[str, frozenset[str]] = {fact.name: fact.language for fact in _TYPES}


def aspect(fact_type: str, at: str, attributes: dict) -> str:
    """What a finding reported on this fact at this place is evidence of: who, how, condition or ""."""
    fact = FACT_TYPES.get(fact_type)
    if fact is None:
        return ""
    if at in fact.aspects:
        return fact.aspects[at]
    value = attributes.get(fact.aspect_attribute, "") if fact.aspect_attribute else ""
    return value if value in ASPECTS else ""


def reference() -> str:
    """``docs/facts.md``: the vocabulary for rule authors, in Markdown."""
    lines = [
        "<!-- generated by `usm-rules docs docs` from usm_rules/engine/vocabulary.py; do not edit -->", "",
        "# Facts: the vocabulary of rule conditions", "",
        "A rule's `when` matches facts. Each input document becomes facts of the types below; each "
        "fact carries the attributes listed, filled in once by the fact builder (language checks "
        "included), so a condition only compares values. A rule pack may use every type and "
        "attribute here, and nothing else: the catalogue refuses an unknown one at load time.", "",
        "Condition patterns (see any file in `rules/` for examples):", "",
        "- `{fact: TYPE, as: ALIAS, where: {ATTRIBUTE: TEST}}` binds a fact;",
        "- `{none: {fact: TYPE, where: {...}}}` holds when no such fact exists;",
        "- a TEST is a literal (equality), `{ref: ALIAS.ATTRIBUTE}` (equal to a bound fact's "
        "attribute: an indexed join), or one of `eq ne gt gte lt lte in` with a literal or a ref;",
        "- `pairedWith: ALIAS` on a pattern binds another fact of ALIAS's type and matches each "
        "unordered pair once (two duplicates give one finding, not two).", "",
        "Attributes marked *(language)* are read from text with the document's language lexicon; "
        "a test on one only matches facts of documents read in a supported language (`language` "
        "is not \"\"): the compiler adds that test, so no rule judges a text it cannot read.", "",
        "A finding points at the reported fact's own place, or at one of its positions named in "
        "`report: {fact: ALIAS, at: POSITION}`. Every fact also carries "
        + " and ".join(f"`{name}` ({meaning})" for name, meaning in ENGINE_ATTRIBUTES.items()) + ".",
    ]
    for fact in _TYPES:
        lines += ["", f"## {fact.name}", "", fact.meaning, "", f"Points at {fact.at}.", "",
                  "| attribute | meaning |", "| --- | --- |"]
        lines += [f"| `{name}` | {meaning}{' *(language)*' if name in fact.language else ''} |"
                  for name, meaning in fact.attributes.items()]
        if fact.positions:
            lines += ["", "| position (`report.at`) | where |", "| --- | --- |"]
            lines += [f"| `{name}` | {meaning} |" for name, meaning in fact.positions.items()]
    return "\n".join(lines) + "\n"
