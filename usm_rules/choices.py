"""The names the command line offers (output formats, fail-on levels), apart from the code
behind them, so that ``--version`` and ``--help`` import nothing else. Tests check that they
name exactly what the registries hold."""

CHECK_FORMATS = ("csv", "github", "gitlab", "html", "json", "junit", "markdown", "sarif", "text")
REPORT_FORMATS = ("html", "markdown")
FAIL_ON = ("error", "warning", "info", "never")
