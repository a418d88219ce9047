"""On-call: schedules of rotation layers and overrides, who is on call when, calendar feeds."""
