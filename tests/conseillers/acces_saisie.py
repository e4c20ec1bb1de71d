"""Rows of the access matrix (tests/test_acces.py) for the saisie pages."""

LIGNES: dict = {}
