"""The ceiling of a model at each git commit that touched it, checked as it was."""
