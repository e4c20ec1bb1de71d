"""Pages of the coverage analysis, one module per audience (``pilotage``)."""
