"""The sites' pages, one module per audience: public (no account), gestion (back-office)."""
