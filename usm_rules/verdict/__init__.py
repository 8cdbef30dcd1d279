"""What the findings mean: suppressions, waivers and the baseline applied in one place, the three
maturity ceilings, grades, the gate, and the verdict in words."""
