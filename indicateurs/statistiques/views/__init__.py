"""Pages of the monthly statistics, one module per audience (``pilotage``)."""
