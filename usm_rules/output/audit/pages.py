"""The report's formats and the template of each page, by name (read by the command line's
choices without loading the renderer)."""

REPORT = {"html": "report.html.j2", "markdown": "report.md.j2"}
HISTORY = {"html": "history.html.j2", "markdown": "history.md.j2"}
