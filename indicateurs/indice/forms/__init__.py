"""Forms of the fragility index, one module per audience (``pilotage``, ``gestion``)."""
