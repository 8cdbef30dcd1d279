"""The result written out: the output formats (one module each, under formats/), the audit
report (audit/), the rule reference, and writes that are whole or not at all."""
