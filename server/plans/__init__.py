"""Plans: the protocol registry (registry.py), the bundles plans were built from (bundles.py)
and the plan store that builds and keeps each client's plan (store.py)."""
