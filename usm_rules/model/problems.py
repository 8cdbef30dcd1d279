"""The built-in rules' ids, and a problem: why a file or a document could not be read as it stands.

The built-in rules (requirement 0 and the suppression checks) are findings made by Python, not
by the engine; their files in ``rules/`` hold their metadata (severity, whether a finding
makes the result incomplete, docs). Their ids are the constants below; a test keeps this list
equal to the rule files that say ``when: builtin``.
"""

from __future__ import annotations

from dataclasses import dataclass

YAML_SYNTAX = "USM0001"
DUPLICATE_KEY = "USM0002"
ENCODING = "USM0003"
EMPTY = "USM0004"
NOT_A_MAPPING = "USM0005"
SCHEMA = "USM0006"
UNREADABLE = "USM0007"
UNSUPPORTED_TAG = "USM0008"
ALIAS_BOMB = "USM0009"
RULE_CRASHED = "USM0010"
NO_REASON = "USM0011"
UNUSED_SUPPRESSION = "USM0012"
WAIVER_EXPIRED = "USM0013"
UNUSED_WAIVER = "USM0014"
LANGUAGE_NOT_READ = "USM0015"
WHOLE_REQUIREMENT = "USM0016"
OVER_LIMIT = "USM0017"
BPMN_SYNTAX = "USM0018"
BUILTIN = frozenset({
    YAML_SYNTAX, DUPLICATE_KEY, ENCODING, EMPTY, NOT_A_MAPPING, SCHEMA, UNREADABLE, UNSUPPORTED_TAG, ALIAS_BOMB,
    RULE_CRASHED, NO_REASON, UNUSED_SUPPRESSION, WAIVER_EXPIRED, UNUSED_WAIVER, LANGUAGE_NOT_READ,
    WHOLE_REQUIREMENT, OVER_LIMIT, BPMN_SYNTAX,
})


@dataclass(frozen=True)
class Problem:
    """Why a file or a document could not be read as it stands: a built-in rule, a message, a place."""

    rule: str
    message: str
    line: int
    column: int
