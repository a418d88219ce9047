"""Incident Room: run a production incident together, live, and leave with a post-mortem.

The app is built by `incident_room.app_factory.create_app`. This file imports nothing, so a
process that needs one module of the package starts without loading the whole app: the PDF
worker (`incident_room.exports.pdf_worker`) imports WeasyPrint and Pillow, not Flask,
SQLAlchemy and Socket.IO (0.7 s of its start-up)."""
