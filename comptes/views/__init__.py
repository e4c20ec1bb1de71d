"""The accounts' pages, one module per audience: public (no account), espace (logged in)."""
