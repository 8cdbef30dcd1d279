"""The auditor report: one self-contained file per run, HTML or Markdown.

:func:`usm_rules.output.audit.build.build_report` turns a result into the report's values
(:mod:`usm_rules.output.audit.data`); :func:`usm_rules.output.audit.render.render` writes them
in a format (:mod:`usm_rules.output.audit.pages` names the formats and their templates).
"""
