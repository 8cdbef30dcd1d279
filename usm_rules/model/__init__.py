"""The values every stage passes on: findings, inputs, documents, rules, results and problem ids.

The lowest layer of the package: it imports nothing of usm_rules but itself, so every stage can
share these values and none has to import a stage above it to name them.
"""
