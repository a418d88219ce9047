"""The PDF worker started ahead of a render: used once, replaced when it died, and never
used for an app it was not started for (other assets or bounds)."""

import os
import signal
from pathlib import Path

from tests.conftest import add_user, declare, dispose, make_app
from tests.postmortem.exports import download, pdf_text
from tests.support.live import wait_until


def waiting_workers() -> list[int]:
    """PDF worker processes this process started that are alive (not yet reaped or dead)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        state, parent = fields[0], int(fields[1])
        if parent == os.getpid() and state != "Z" and b"exports.pdf_worker" in cmdline:
            pids.append(int(stat.parent.name))
    return pids


def test_a_worker_waits_for_the_next_render_and_a_dead_one_is_replaced(app, dana, clock) -> None:
    incident = declare(app, "dana", severity="SEV2")
    assert download(app, incident, "postmortem.pdf").status_code == 200
    [waiting] = waiting_workers()
    os.kill(waiting, signal.SIGKILL)
    wait_until(lambda: waiting not in waiting_workers())
    response = download(app, incident, "postmortem.pdf")
    assert response.status_code == 200
    assert "Timeline" in pdf_text(response.data)
    assert len(waiting_workers()) == 1 and waiting not in waiting_workers()


def test_a_worker_started_for_another_app_is_not_used(app, dana, clock, tmp_path) -> None:
    """An app whose assets folder holds no print stylesheet gets a page without one (no
    running footer), not one rendered by the worker waiting with the real assets."""
    assert download(app, declare(app, "dana", severity="SEV2"), "postmortem.pdf").status_code == 200
    [waiting] = waiting_workers()
    bare = make_app(f"sqlite:///{tmp_path / 'bare.db'}")
    bare.static_folder = str(tmp_path / "no-assets")
    try:
        add_user(bare, "dana", "Dana Scully")
        response = download(bare, declare(bare, "dana", severity="SEV2"), "postmortem.pdf")
    finally:
        dispose(bare)
    assert response.status_code == 200
    assert "Page 1 of" not in pdf_text(response.data)
    assert waiting not in waiting_workers()
