"""The commands that write process definitions: ``convert`` (BPMN diagrams as usm/v1 YAML)."""
