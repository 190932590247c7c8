"""Fault injection against the real server: shared by these tests and bench/chaos.py."""
