"""From paths to documents with positions: which files, their bytes within bounds, their text,
the readers of each input format, schema validation, suppression comments, and the configuration.

Nothing here knows a rule: a file that cannot be read, parsed or validated becomes a positioned
problem of that file, and a bad configuration or data file a one-line error."""
