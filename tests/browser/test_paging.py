"""A page reaches every open tab of the paged person (issue 19): the banner appears at once
on whatever page they have open, one click acknowledges and takes Incident Commander, the
room sees it, and the banner leaves every tab."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.accounts import create_api_token
from incident_room.services.catalog.services import create_service
from incident_room.services.catalog.teams import add_team_member, create_team
from incident_room.services.paging.policies import PolicyDraft, StepDraft, create_policy, use_policy
from tests.browser.conftest import log_in, room_is_live, screenshot
from tests.conftest import dispose, make_app

pytestmark = pytest.mark.browser


def page_user1_for_checkout(database_url: str) -> str:
    """Team Checkout pages user1 first; returns user0's API token (monitoring's)."""
    app = make_app(database_url)
    with app.app_context():
        people = {u.username: u for u in db.session.scalars(db.select(User))}
        team = create_team("Checkout")
        add_team_member(team, people["user0"], admin=True)
        add_team_member(team, people["user1"])
        create_service("checkout-api", team)
        steps = (StepDraft("Primary", user_id=people["user1"].id),)
        policy = create_policy(people["user0"], PolicyDraft(team.id, "Checkout", steps))
        use_policy(people["user0"], policy.id, "checkout-api")
        token = create_api_token(people["user0"])
    dispose(app)
    return token


def test_the_paged_persons_tabs_show_the_page_and_one_click_acks_and_takes_command(
    live_room, sqlite_url, new_context
):
    room = live_room(sqlite_url)
    token = page_user1_for_checkout(sqlite_url)
    base = room.server.url
    tabs = new_context()  # one browser, two tabs, as someone with the app open twice
    first, second = tabs.new_page(), tabs.new_page()
    log_in(first, base, "user1")
    first.goto(base + "/incidents")
    second.goto(base + "/oncall")
    expect(first.locator("#pager")).to_be_hidden()

    alert = {
        "title": "Checkout 502s above 5%",
        "source": "prometheus",
        "alert_key": "checkout-502",
        "severity": "error",
        "service": "checkout-api",
    }
    response = requests.post(
        base + "/api/alerts", json=alert, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 201
    incident_id = response.json()["incident"]["id"]
    for tab in (first, second):
        expect(tab.locator("#pager")).to_contain_text(f"INC-{incident_id} Checkout 502s above 5%")
        expect(tab).to_have_title(re.compile(r"^\(PAGED\) "))
    screenshot(first, "pager-banner")

    ic = new_context().new_page()
    log_in(ic, base, "user0")
    ic.goto(f"{base}/incidents/{incident_id}")
    room_is_live(ic)
    expect(ic.locator("#timeline")).to_contain_text("Paged User 1 (Primary) for checkout-api")
    expect(ic.locator("#pages")).to_contain_text("checkout-api · triggered")
    expect(ic.locator("#pages")).to_contain_text("User 1 (Primary) — in the browser only")
    first.locator("#pager").get_by_role(
        "button", name="Acknowledge and take Incident Commander"
    ).click()
    first.wait_for_url(f"{base}/incidents/{incident_id}")
    expect(second.locator("#pager")).to_be_hidden()
    expect(ic.locator("#timeline")).to_contain_text(
        "User 1 acknowledged the page for checkout-api and took over Incident Commander"
    )
    expect(ic.locator("#pages")).to_contain_text("checkout-api · acknowledged by User 1")

    # The team's on-call health shows this week's page, judged by the playbook.
    first.goto(f"{base}/oncall/health/teams/1")
    pages_chart = first.locator('[data-figure="pages"]')
    expect(pages_chart).to_contain_text("this week 1 (healthy)")
    expect(pages_chart.locator("rect.verdict-healthy")).to_have_count(12)  # quiet weeks too
    screenshot(first, "oncall-health")
