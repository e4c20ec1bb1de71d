"""The accounts' forms, one module per audience, as the views."""
