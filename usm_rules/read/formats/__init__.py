"""The input formats: YAML (usm/v1 documents) and BPMN 2.0 diagrams, each read into the same
documents with positions."""
