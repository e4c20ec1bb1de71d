"""The workshop pages, one module per audience: public, espace (partners), gestion."""
