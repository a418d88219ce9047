"""Writing runbooks over HTTP: checked on save (sections, service, alert key, size, unsafe
Markdown), every save a version with its author, a diff between versions, a live preview
rendered server-side, and runbooks not updated for 180 days listed as stale."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import escape

from incident_room.extensions import db
from incident_room.models import Runbook, RunbookVersion
from tests.conftest import logged_in_client
from tests.runbooks.conftest import GOOD_BODY, runbook_form, write_runbook
from tests.runbooks.test_room import post_alert


def runbook_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Runbook))


def test_a_runbook_with_its_six_sections_saves_and_reads_rendered(rb_app, dana) -> None:
    saved = write_runbook(dana)
    assert saved.status_code == 302
    page = dana.get(saved.headers["Location"]).get_data(as_text=True)
    assert "PaymentsHighErrorRate - payments-api Runbook" in page
    assert "<h2>3 Investigation steps</h2>" in page
    assert "<code>kubectl -n payments get pods</code>" in page
    assert "Dana Scully" in page and "version 1" in page
    listing = dana.get("/runbooks").get_data(as_text=True)
    assert "PaymentsHighErrorRate - payments-api Runbook" in listing


def test_a_missing_section_is_refused_with_its_name_and_nothing_is_saved(rb_app, dana) -> None:
    body = GOOD_BODY.replace("## 5 Escalation\n", "## 5 Who to call\n")
    refused = write_runbook(dana, body=body)
    assert refused.status_code == 400
    assert "The runbook has no Escalation section." in refused.get_data(as_text=True)
    # The author's text is kept in the form to fix.
    assert "Who to call" in refused.get_data(as_text=True)
    assert runbook_count(rb_app) == 0


def test_an_empty_section_is_refused_with_its_name(rb_app, dana) -> None:
    body = GOOD_BODY.replace(
        "## 2 Impact\nCustomers cannot pay at checkout. SEV2 unless every payment fails.\n",
        "## 2 Impact\n",
    )
    refused = write_runbook(dana, body=body)
    assert refused.status_code == 400
    assert "The Impact section is empty." in refused.get_data(as_text=True)
    assert runbook_count(rb_app) == 0


def test_investigation_steps_without_normal_and_abnormal_save_with_a_warning(rb_app, dana) -> None:
    body = GOOD_BODY.replace("Normal: all Running. Abnormal:", "If")
    saved = write_runbook(dana, body=body)
    assert saved.status_code == 302
    page = dana.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Investigation step 2 does not say what normal looks like." in page
    assert "Investigation step 2 does not say what abnormal looks like." in page
    assert "step 1 does not" not in page


def test_bad_input_is_refused_clearly_and_saves_nothing(rb_app, dana) -> None:
    cases = [
        ({"service": "no-such-service"}, 400, "No service called &#39;no-such-service&#39;."),
        ({"body": GOOD_BODY + "x" * 50_001}, 413, "A runbook is at most 50000 characters."),
        ({"body": GOOD_BODY + "<script>alert(1)</script>"}, 400, "remove raw HTML"),
        ({"body": GOOD_BODY + "[x](javascript:alert(1))"}, 400, "remove a javascript: link"),
        ({"owner": ""}, 400, "Give the owner."),
    ]
    for fields, status, message in cases:
        refused = write_runbook(dana, **fields)
        assert refused.status_code == status, fields
        assert message in refused.get_data(as_text=True), fields
    assert runbook_count(rb_app) == 0


def test_a_second_runbook_for_the_same_alert_key_is_refused(rb_app, dana) -> None:
    assert write_runbook(dana).status_code == 302
    refused = write_runbook(dana, service="search")
    assert refused.status_code == 409
    assert "Alert &#39;PaymentsHighErrorRate&#39; already has a runbook." in refused.text
    assert runbook_count(rb_app) == 1


def test_every_save_is_a_version_with_its_author_and_the_diff_shows_the_change(
    rb_app, dana, clock
) -> None:
    assert write_runbook(dana).status_code == 302
    fox = logged_in_client(rb_app, "fox")
    clock.advance(hours=2)
    body = GOOD_BODY.replace("After 15 minutes", "After 10 minutes")
    changed = fox.post("/runbooks/1", data=runbook_form(fox, "/runbooks/1/edit", body=body))
    assert changed.status_code == 302
    with rb_app.app_context():
        versions = db.session.scalars(db.select(RunbookVersion).order_by("number")).all()
        assert [(v.number, v.author.username) for v in versions] == [(1, "dana"), (2, "fox")]
        assert versions[1].saved_at - versions[0].saved_at == timedelta(hours=2)
    history = dana.get("/runbooks/1/history").get_data(as_text=True)
    assert "Fox Mulder" in history and "Dana Scully" in history
    assert "-After 15 minutes, page the Payments team lead" in history
    assert "+After 10 minutes, page the Payments team lead" in history
    # Saving the same text again makes no new version.
    same = fox.post("/runbooks/1", data=runbook_form(fox, "/runbooks/1/edit", body=body))
    assert same.status_code == 302
    assert "version 2" in dana.get("/runbooks/1").get_data(as_text=True)


def test_unsafe_markdown_renders_inert_in_the_preview(rb_app, dana) -> None:
    body = (
        GOOD_BODY + "\n<img src=x onerror=alert(1)> [click](javascript:alert(1))"
        " [docs](https://wiki.example/x)\n"
    )
    answer = dana.post("/api/runbooks/preview", json={"body": body}).get_json()
    html = answer["html"]
    assert "<img" not in html and "javascript:" not in html.replace("(javascript:", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<a href="https://wiki.example/x" rel="noopener noreferrer nofollow">docs</a>' in html
    assert answer["problem"]["code"] == "invalid"
    assert "raw HTML" in answer["problem"]["message"]


def test_the_preview_names_the_missing_section_and_the_warnings_while_typing(rb_app, dana) -> None:
    answer = dana.post("/api/runbooks/preview", json={"body": "## 1 Symptom\nx"}).get_json()
    assert answer["problem"]["message"] == "The runbook has no Impact section."
    assert answer["problem"]["section"] == "impact"
    refused = dana.post("/api/runbooks/preview", json={"body": 5})
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "body"


def test_runbooks_not_updated_for_180_days_are_listed_as_stale(rb_app, dana, clock) -> None:
    assert write_runbook(dana).status_code == 302
    assert write_runbook(dana, alert_key="SearchSlow", service="search").status_code == 302
    clock.advance(days=100)
    fox = logged_in_client(rb_app, "fox")
    body = GOOD_BODY.replace("After 15", "After 20")
    assert (
        fox.post(
            "/runbooks/2",
            data=runbook_form(
                fox, "/runbooks/2/edit", body=body, alert_key="SearchSlow", service="search"
            ),
        ).status_code
        == 302
    )
    clock.advance(days=80)
    listing = dana.get("/runbooks").get_data(as_text=True)
    stale = listing.split('id="stale-heading"')[1]
    assert "PaymentsHighErrorRate - payments-api Runbook" in stale
    assert "SearchSlow" not in stale


def test_a_runbook_whose_alert_now_fires_on_another_condition_is_listed_as_stale(
    rb_app, dana
) -> None:
    assert write_runbook(dana).status_code == 302
    quoted = "payments_error_rate > 5% for 5 minutes"
    assert post_alert(rb_app, condition=quoted).status_code == 201
    stale = dana.get("/runbooks").get_data(as_text=True).split('id="stale-heading"')[1]
    assert "PaymentsHighErrorRate" not in stale
    changed = "payments_error_rate > 2% for 10 minutes"
    assert post_alert(rb_app, condition=changed).status_code == 200
    stale = dana.get("/runbooks").get_data(as_text=True).split('id="stale-heading"')[1]
    assert "PaymentsHighErrorRate - payments-api Runbook" in stale
    reason = f"the alert now fires on {changed!r}, which its Symptom does not quote"
    assert str(escape(reason)) in stale
    # Quoting the new condition in the Symptom makes it current again.
    body = GOOD_BODY.replace(quoted, changed)
    fixed = dana.post("/runbooks/1", data=runbook_form(dana, "/runbooks/1/edit", body=body))
    assert fixed.status_code == 302
    stale = dana.get("/runbooks").get_data(as_text=True).split('id="stale-heading"')[1]
    assert "PaymentsHighErrorRate" not in stale


def test_the_history_compares_any_two_versions_and_refuses_one_that_does_not_exist(
    rb_app, dana
) -> None:
    assert write_runbook(dana).status_code == 302
    for minutes in (10, 5):
        body = GOOD_BODY.replace("After 15 minutes", f"After {minutes} minutes")
        dana.post("/runbooks/1", data=runbook_form(dana, "/runbooks/1/edit", body=body))
    page = dana.get("/runbooks/1/history?from=1&to=3").get_data(as_text=True)
    assert "Version 1 → version 3" in page
    assert "-After 15 minutes" in page and "+After 5 minutes" in page
    missing = dana.get("/runbooks/1/history?from=7")
    assert missing.status_code == 404
    assert "No such version of this runbook." in missing.get_data(as_text=True)
    assert dana.get("/runbooks/99/history").status_code == 404
