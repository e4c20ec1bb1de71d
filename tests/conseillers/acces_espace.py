"""Rows of the access matrix (tests/test_acces.py) for the espace pages."""

LIGNES: dict = {}
