"""Monthly statistics and the officials' dashboard with its exports."""
