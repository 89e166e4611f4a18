"""Transforms of the bundled reference release kinds (production-shaped; no Try special case)."""
