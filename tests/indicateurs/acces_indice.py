"""Rows of the access matrix (tests/test_acces.py) for the indice pages."""

LIGNES: dict = {}
