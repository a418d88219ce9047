"""Reading what the workers stored straight from PostgreSQL."""

from __future__ import annotations

from sqlalchemy import create_engine, text


def _rows(database_url: str, query: str, incident_id: int) -> list[tuple]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(query), {"id": incident_id})]
    finally:
        engine.dispose()


def incident_log(database_url: str, incident_id: int) -> list[tuple[int, str]]:
    """(seq, type) of every stored event of the incident, in seq order."""
    query = "SELECT seq, type FROM incident_events WHERE incident_id = :id ORDER BY seq"
    return _rows(database_url, query, incident_id)


def timeline_texts(database_url: str, incident_id: int) -> list[str]:
    query = "SELECT text FROM timeline_entries WHERE incident_id = :id"
    return [row[0] for row in _rows(database_url, query, incident_id)]
