from tests.support.rooms import live_room

__all__ = ["live_room"]
