"""What the public draft takes out of free text, and what it leaves alone."""

import pytest

from incident_room.services.updates.scrubber import Scrubber

scrub = Scrubber({"dana", "Dana Scully", "Dana", "Scully", "alice", "carol"})


@pytest.mark.parametrize(
    ("text", "public"),
    [
        ("Ask ops@corp.example for access", "Ask [internal] for access"),
        ("Dashboard: https://grafana.internal/d/x?y=1 shows it", "Dashboard: [internal] shows it"),
        ("Traffic from 10.20.30.40:8443 spiked", "Traffic from [internal] spiked"),
        ("Seen on fe80:0:0:0:202:b3ff:fe1e:8329 too", "Seen on [internal] too"),
        ("api.prod.corp.net and db.internal are slow", "[internal] and [internal] are slow"),
        ("db-prod-3 and redis-01 restarted", "[internal] and [internal] restarted"),
        (
            "Dana Scully and dana rolled back; Scully confirmed",
            "the team rolled back; the team confirmed",
        ),
        ("alice and User carol restarted db-prod-3", "the team restarted [internal]"),
        ("alice, carol & Dana Scully agreed", "the team agreed"),
        ("Dr Kim and Mr. O'Brien paged Engineer Priya", "the team paged the team"),
        ("Escalated by Ms Novak at 02:10", "Escalated by the team at 02:10"),
    ],
)
def test_internal_details_are_replaced(text, public):
    assert scrub(text) == public


@pytest.mark.parametrize(
    "text",
    [
        "Escalated to SEV-1 at 02:05:00; 502s on checkout-api fell to 0.5%",
        "Customers in the EU saw errors. Payments are fine.",
        "user sessions dropped and the admin console was slow; drain the queue",
    ],
)
def test_ordinary_prose_is_left_alone(text):
    assert scrub(text) == text
