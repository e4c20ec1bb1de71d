"""Rows of the access matrix (tests/test_acces.py) for the couverture pages."""

LIGNES: dict = {}
