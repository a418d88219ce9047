"""The post-mortem: opened at all-clear, written by the team, reviewed, published.

workspace (revisions, freezing), history (versions of parts), sections and action_items
(the team's writing, co-edited with merge or conflict), status (draft -> in review ->
published), metrics (from the event log), blameless (gentle flags), draft (the whole
document the exports render).
"""
