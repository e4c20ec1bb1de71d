"""Coverage analysis: where the need is, where the offer is missing, where to go next."""
