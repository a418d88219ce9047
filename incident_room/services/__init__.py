"""Domain operations: the only code that changes state."""
