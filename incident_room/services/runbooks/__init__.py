"""Runbooks: written per alert key, checked against the playbook's six sections, versioned."""
