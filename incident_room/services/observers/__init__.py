"""Observer links: a read-only, live view of one incident for people outside the room.

`links` makes, checks and revokes the links; `sharing` is the team's choice of entries shown
to observers; `projection` is what observers see of the incident and of each event. Which
sockets are observers, and their connection rows, are the realtime edge's
(realtime/observer_sockets.py, realtime/observer_connections.py).
"""
