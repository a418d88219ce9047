"""Paging: escalation policies, pages to the person on call, acks and escalation."""
