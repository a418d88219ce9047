"""`flask --app app demo`: the demo login, an open incident to try the room on, and a
finished one whose post-mortem is published, so a newcomer sees the whole result at once."""

from __future__ import annotations

import re

from tests.postmortem.exports import document_of
from tests.support.web import login


def test_the_demo_seeds_an_open_and_a_finished_incident_once(app) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["demo"])
    assert again.output == first.output  # nothing made twice
    finished = int(re.search(r"/incidents/(\d+)/postmortem", first.output).group(1))
    document = document_of(app, finished, "demo")
    assert document["postmortem"]["status"] == "published"
    assert document["incident"]["status"] == "closed"
    metrics = document["metrics"]  # read as a real response, step by step
    assert (metrics["time_to_acknowledge"], metrics["time_to_mitigate"]) == (4 * 60, 38 * 60)
    assert metrics["time_to_resolve"] == 50 * 60 and metrics["time_to_detect"] == 20 * 60
    assert [i["text"] for i in document["action_items"]] == [
        "Check the shard's document count before publishing the alias"
    ]
    client = app.test_client()
    assert login(client, "demo", "demo-password").status_code == 302
    page = client.get(f"/incidents/{finished}/postmortem").get_data(as_text=True)
    assert "Search results empty for EU customers" in page
    verified = runner.invoke(args=["incidents", "verify", str(finished)])
    assert verified.exit_code == 0, verified.output
