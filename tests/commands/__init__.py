"""Tests of the taskgraph-staging commands (a package, so test_audit here and tests/test_audit.py do not clash)."""
