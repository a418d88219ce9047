"""The shapes that cross layers - what the room, the API, observers, webhooks and the
exports are sent - as TypedDicts, and the one serialiser of each, made from the models.

Below the services (it imports models, the clock and policy only): services build their
answers and events from these, and the edges and exports read them by these names.
"""
