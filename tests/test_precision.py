"""Precision: what USM allows must not be reported (as much a contract as recall)."""

from __future__ import annotations

from conftest import check

PRACTICE = """\
apiVersion: usm/v1
kind: Practice
metadata: {name: itil-incident-management, title: Incident Management}
spec:
  framework: ITIL 4
  activities:
    - {id: p-1, name: Service desk logs the call in ServiceNow, performer: Service desk, mapsTo: rec-1}
"""
PROCESS = """\
apiVersion: usm/v1
kind: Process
metadata: {name: recover, title: Recover}
spec:
  activities:
    - {id: rec-1, name: Register the failure}
"""
ROUTINES = """\
apiVersion: usm/v1
kind: Procedure
metadata: {name: recover-procedure, title: Recover procedure}
spec:
  process: recover
  steps:
    - activity: rec-1
      description: The service desk agent registers the failure by phone if the portal is down.
      raci: {Service desk agent: R, Workflow coordinator: A}
---
apiVersion: usm/v1
kind: WorkInstruction
metadata: {name: register-in-servicenow}
spec:
  process: recover
  steps:
    - {activity: rec-1, how: Open a ticket in ServiceNow using the phone template, tool: ServiceNow}
"""
MODEL = """\
apiVersion: usm/v1
kind: ProcessModel
metadata: {name: usm}
spec:
  processes: [recover, change]
  forks: [{from: recover, to: change}]
  workflows:
    - {name: Recover-Change, trigger: incident, path: [recover, change]}
"""


def rules_in(result, file: str) -> set[str]:
    return {f.rule for f in result.findings if f.file == file}


def test_a_practice_named_incident_management_is_a_practice(tree):
    tree({"practice.yaml": PRACTICE, "recover.yaml": PROCESS})
    assert rules_in(check(), "practice.yaml") == set()


def test_roles_tools_and_conditions_belong_in_procedures_and_work_instructions(tree):
    tree({"routines.yaml": ROUTINES, "recover.yaml": PROCESS})
    assert rules_in(check(), "routines.yaml") == set()


def test_a_fork_declared_in_the_model_is_not_a_condition(tree):
    tree({"model.yaml": MODEL, "recover.yaml": PROCESS, "change.yaml": PROCESS.replace("recover", "change").replace(
        "Recover", "Change").replace("rec-1", "chg-1").replace("Register the failure", "Build the change")})
    result = check()
    assert {f.requirement for f in result.findings} & {4, 7} == set()
