"""Learning across incidents: the figures of a period, their charts, and spike notices."""
