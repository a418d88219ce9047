"""The catalog: teams, their people, and the services they own (what alerts name)."""
