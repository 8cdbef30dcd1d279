"""From documents to findings: the rule catalogue, facts, the engine's matches made findings,
the selection of rules, and the cache of what each file gives a run."""
