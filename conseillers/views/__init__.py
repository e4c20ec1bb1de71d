"""The advisors' pages, one module per audience: espace (the advisor), gestion (coordination)."""
