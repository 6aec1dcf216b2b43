"""Reliability and security tests: load, faults, bad input, bypasses, Guardian's own security.

Every test drives the real `guardian proxy` (or the real core) on loopback only;
the figures they measure are written into the README's "Reliability and
security" section.
"""
