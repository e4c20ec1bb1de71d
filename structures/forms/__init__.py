"""The sites' forms, one module per audience, as the views."""
