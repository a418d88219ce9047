"""Runbooks kept in git: `flask runbooks export DIR` writes one Markdown file per runbook with
front matter, `flask runbooks import DIR` reads them back losslessly, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from incident_room.extensions import db
from incident_room.models import Runbook, RunbookVersion, User
from incident_room.services.catalog.services import create_service
from tests.conftest import add_user, dispose, make_app
from tests.support.runbooks import GOOD_BODY, save_good_runbook
from tests.support.services import PostgresSchema


def flask(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def contents(app) -> list[tuple[str, str, str, str, int]]:
    with app.app_context():
        return [
            (r.service.name, r.alert_key, r.owner, r.body, r.version)
            for r in db.session.scalars(db.select(Runbook).order_by(Runbook.alert_key))
        ]


def seed(app) -> None:
    with app.app_context():
        dana = db.session.scalar(db.select(User).filter_by(username="dana"))
        save_good_runbook(dana)
        save_good_runbook(dana, "search", "Search: p99 > 2s (EU)")


@pytest.fixture
def second_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database of the same kind, for a second instance."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    schema = PostgresSchema()
    yield schema.url
    schema.drop()


def test_export_then_import_into_an_empty_instance_is_lossless(
    rb_app, tmp_path: Path, second_database: str, clock
) -> None:
    seed(rb_app)
    exported = flask(rb_app, "runbooks", "export", str(tmp_path / "one"))
    assert exported.exit_code == 0 and "Exported 2 runbook(s)" in exported.output
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == ["PaymentsHighErrorRate.md", "Search-p99-2s-EU.md"]
    text = (tmp_path / "one" / "PaymentsHighErrorRate.md").read_text()
    assert text.startswith("---\nservice: payments-api\nalert_key: PaymentsHighErrorRate\n")
    assert "owner: Payments team\n" in text and text.endswith(GOOD_BODY)

    # The same files in another instance, on a fresh database of the same kind.
    dispose(rb_app)
    other = make_app(second_database)
    add_user(other, "fox", "Fox Mulder")
    with other.app_context():
        create_service("payments-api")
        create_service("search")
    imported = flask(other, "runbooks", "import", str(tmp_path / "one"), "--author", "fox")
    assert imported.exit_code == 0, imported.output
    assert "PaymentsHighErrorRate.md: created" in imported.output
    assert contents(other) == contents(rb_app)
    # Byte for byte, last_updated included: it is the save time, the same frozen instant here.
    flask(other, "runbooks", "export", str(tmp_path / "two"))
    for name in names:
        assert (tmp_path / "two" / name).read_text() == (tmp_path / "one" / name).read_text()
    again = flask(other, "runbooks", "import", str(tmp_path / "two"), "--author", "fox")
    assert again.output.count(": unchanged") == 2
    dispose(other)


def test_importing_changed_files_saves_new_versions_and_unchanged_ones_none(
    rb_app, tmp_path: Path
) -> None:
    seed(rb_app)
    flask(rb_app, "runbooks", "export", str(tmp_path))
    path = tmp_path / "PaymentsHighErrorRate.md"
    path.write_text(path.read_text().replace("After 15 minutes", "After 5 minutes"))
    result = flask(rb_app, "runbooks", "import", str(tmp_path), "--author", "fox")
    assert "PaymentsHighErrorRate.md: updated" in result.output
    assert "Search-p99-2s-EU.md: unchanged" in result.output
    with rb_app.app_context():
        latest = db.session.scalar(
            db.select(RunbookVersion).order_by(RunbookVersion.id.desc()).limit(1)
        )
        assert (latest.number, latest.author.username) == (2, "fox")
        assert "After 5 minutes" in latest.body


def test_one_bad_file_refuses_the_whole_import_naming_it(rb_app, tmp_path: Path) -> None:
    good = f"---\nservice: payments-api\nalert_key: A\nowner: Payments\n---\n\n{GOOD_BODY}"
    (tmp_path / "a.md").write_text(good)
    (tmp_path / "b.md").write_text(
        good.replace("alert_key: A", "alert_key: B").replace("## 6 Context", "## 6 Background")
    )
    (tmp_path / "c.md").write_text(good.replace("payments-api", "billing"))
    result = flask(rb_app, "runbooks", "import", str(tmp_path), "--author", "fox")
    assert result.exit_code != 0
    assert "b.md: The runbook has no Context section." in result.output
    assert contents(rb_app) == []
    (tmp_path / "b.md").unlink()
    result = flask(rb_app, "runbooks", "import", str(tmp_path), "--author", "fox")
    assert "c.md: No service called 'billing'." in result.output
    assert contents(rb_app) == []


def test_a_file_without_front_matter_or_a_link_is_refused(rb_app, tmp_path: Path) -> None:
    (tmp_path / "plain.md").write_text(GOOD_BODY)
    result = flask(rb_app, "runbooks", "import", str(tmp_path), "--author", "fox")
    assert "plain.md: no front matter" in result.output
    (tmp_path / "plain.md").unlink()
    (tmp_path / "secret.md").symlink_to("/etc/passwd")
    result = flask(rb_app, "runbooks", "import", str(tmp_path), "--author", "fox")
    assert "secret.md: not a regular file" in result.output
    assert contents(rb_app) == []
