"""Rows of the access matrix (tests/test_acces.py) for the gestion pages."""

LIGNES: dict = {}
