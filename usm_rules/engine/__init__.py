"""The rule language and the engine that evaluates it: the vocabulary of facts, conditions
compiled to durable-rules rulesets, the partitions that keep each run small, durable-rules
itself (only :mod:`usm_rules.engine.runner` imports it) and the processes the runs happen in."""
