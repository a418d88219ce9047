"""Issue trackers: a post-mortem's action items become tickets in the team's GitHub Issues or
Jira (by their REST APIs, with a token), and come back done when the ticket closes (the
tracker's signed webhook). `config.py` keeps the trackers, `github.py` and `jira.py` speak
each API, `sync.py` moves items and tickets together."""
