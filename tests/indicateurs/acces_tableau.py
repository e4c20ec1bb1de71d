"""Rows of the access matrix (tests/test_acces.py) for the tableau pages."""

LIGNES: dict = {}
