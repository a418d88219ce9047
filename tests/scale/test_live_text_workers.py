"""Live text on real workers sharing PostgreSQL and Redis: editors on different workers
converge, and kill -9 between keystrokes loses none that was acknowledged."""

from __future__ import annotations

import re

from tests.support.live import wait_until
from tests.support.live_text import Editor
from tests.support.threads import in_background

LIVE = {"LIVE_TEXT_IDLE_SECONDS": "1", "LIVE_TEXT_JOB_INTERVAL_SECONDS": "0.2"}


def editor(client, incident_id: int, doc: str) -> Editor:
    return Editor(client.call, incident_id, doc).listen(client.sio)


def test_two_workers_serve_two_editors_of_one_section(cluster) -> None:
    room = cluster(workers=2, users=2, **LIVE)
    a, b = room.client(0, "user0"), room.client(1, "user1")
    asked = a.change("incident.all_clear", {"incident_id": room.incident_id})
    assert asked["ok"], asked
    confirmed = b.change("incident.all_clear_confirm", {"incident_id": room.incident_id})
    assert confirmed["ok"], confirmed
    ed_a, ed_b = (editor(c, room.incident_id, "section:summary") for c in (a, b))
    assert ed_a.open()["ok"] and ed_b.open()["ok"]

    def typing(ed: Editor, word: str) -> None:
        for n in range(15):
            ack = ed.type(-1, f" {word}{n}")
            assert ack["ok"], ack

    both = [in_background(typing, ed_a, "a"), in_background(typing, ed_b, "b")]
    for run in both:
        run.result(timeout=60)
    wait_until(lambda: ed_a.value == ed_b.value, timeout=15, message="the editors converge")
    words = ed_a.value.split()
    assert sorted(words) == sorted([f"a{n}" for n in range(15)] + [f"b{n}" for n in range(15)])
    assert [w for w in words if w.startswith("a")] == [f"a{n}" for n in range(15)]

    def summary() -> dict:
        ack = b.call("postmortem.get", {"incident_id": room.incident_id})
        return next(s for s in ack["sections"] if s["key"] == "summary")

    wait_until(lambda: summary()["version"] == 2, timeout=15, message="the burst settles")
    section = summary()
    assert section["text"] == ed_b.value
    assert {author["username"] for author in section["authors"]} == {"user0", "user1"}


def test_kill_9_between_keystrokes_loses_no_acknowledged_keystroke(cluster) -> None:
    room = cluster(workers=2, users=2, **LIVE)
    a, b = room.client(0, "user0"), room.client(1, "user1")
    entry = a.change(
        "timeline.add", {"incident_id": room.incident_id, "kind": "note", "text": "log:"}
    )
    assert entry["ok"], entry
    doc = f"entry:{entry['entry']['id']}"
    typist = editor(a, room.incident_id, doc)
    assert typist.open()["ok"]
    acked: list[str] = []

    def type_until_gone() -> None:
        for n in range(500):
            try:
                ack = typist.type(-1, f" k{n}")
            except Exception:
                return  # the worker is gone
            if not ack["ok"]:
                return
            acked.append(f"k{n}")

    typing = in_background(type_until_gone)
    wait_until(lambda: len(acked) >= 40, timeout=30, message="typing is under way")
    room.workers[0].kill()
    typing.result(timeout=30)
    reader = editor(b, room.incident_id, doc)
    assert reader.open()["ok"]
    tokens = re.findall(r"k\d+", reader.value)
    assert tokens[: len(acked)] == acked  # every acknowledged keystroke, in order, once
    assert len(tokens) <= len(acked) + 1  # at most the one in flight besides
    assert len(set(tokens)) == len(tokens)

    def history() -> list[dict]:
        ack = b.call(
            "timeline.history", {"incident_id": room.incident_id, "entry_id": entry["entry"]["id"]}
        )
        return ack["revisions"]

    wait_until(
        lambda: len(history()) == 2, timeout=15, message="the burst settles on the other worker"
    )
    assert history()[-1]["after"]["text"] == reader.value
