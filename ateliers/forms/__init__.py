"""The workshop forms, one module per audience, as the views."""
