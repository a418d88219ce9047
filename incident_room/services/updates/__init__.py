"""Stakeholder and status-page updates: the team's templates, the facts a draft is filled
with, the scrubber that keeps the public draft free of names and hosts, and posting.

A draft is the team's plain-text template (`$placeholders`, Python's string.Template - never
Jinja, so a template cannot run code) filled with facts from the incident. The public
(status page) draft takes its facts only from fields safe to publish - severity, status,
the impact statement, shared entries - and scrubs names, hostnames, addresses and emails
out of their free text. The Communications Lead or the IC edits the draft and posts it as
an `update` entry, which restarts that audience's countdown.
"""
