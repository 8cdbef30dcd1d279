"""The version of usm-rules: one place, read by the package, the CLI, reports and the build."""

__version__ = "0.1.0"
