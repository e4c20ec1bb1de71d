"""The advisors' forms, one module per audience, as the views."""
