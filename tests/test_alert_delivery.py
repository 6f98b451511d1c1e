"""Alert deliveries against real receivers on 127.0.0.1: a webhook (signature, delivery
id, retries with backoff, kept as failed, retried by hand), email over SMTP (aiosmtpd),
and exactly once across a runner SIGKILLed in the middle of a delivery."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.alertservers import Webhook, free_port, smtp_server, webhook_server
from tests.conftest import OTHER_STORY, REPO, WIRE_STORY, fresh_store_url

from newstrace.alerts import run_alerts
from newstrace.alerts.rules import rule_spec
from newstrace.api import Store
from newstrace.settings import Settings

FAST = {"alert_backoff": 0.01, "alert_retries": 3, "alert_timeout": 5.0}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding two stories (ingested once for the module)."""
    folder = tmp_path_factory.mktemp("built")
    (folder / "in").mkdir()
    (folder / "in" / "wire.txt").write_text(WIRE_STORY, encoding="utf-8")
    (folder / "in" / "grain.txt").write_text(OTHER_STORY, encoding="utf-8")
    with Store.open(folder / "s.db", create=True) as store:
        assert len(store.ingest([str(folder / "in")], published="2025-03-03").new) == 2
    return folder / "s.db"


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A copy of the built store for one test."""
    shutil.copy(built, tmp_path / "s.db")
    return tmp_path / "s.db"


@pytest.fixture(params=["sqlite", "postgresql"])
def both(request: pytest.FixtureRequest, built: Path, tmp_path: Path) -> Iterator[str]:
    """The two stories in a store of each backend: a copy of the built SQLite file, or
    a new PostgreSQL database they are ingested into."""
    if request.param == "sqlite":
        shutil.copy(built, tmp_path / "s.db")
        yield str(tmp_path / "s.db")
        return
    for url in fresh_store_url("postgresql", tmp_path):
        with Store.open(url) as store:
            store.ingest([str(built.parent / "in")], published="2025-03-03")
        yield url


def open_store(db: Path | str, **settings: object) -> Store:
    """The store at `db` with fast retries and the given settings."""
    return Store.open(db, settings=Settings().with_overrides(**{**FAST, **settings}))


@pytest.fixture
def hook() -> Iterator[Webhook]:
    """A webhook receiver that accepts everything."""
    with webhook_server(Webhook()) as server:
        yield server


def add_hook_rule(store: Store, name: str, url: str, query: str = "artillery") -> str:
    """A backfilled search rule delivering to `url`; returns its secret."""
    spec = rule_spec(name, "search", query=query, delivery="webhook", target=url, secret=None)
    return store.add_alert(spec, backfill=True).secret


def test_webhook_body_is_signed_with_the_rules_secret(db: Path, hook: Webhook) -> None:
    with open_store(db) as store:
        secret = add_hook_rule(store, "guns", hook.url)
        report = store.run_alerts()
        (row,) = store.alert_history().items
    assert report is not None and (report.new, report.delivered) == (0, 1)  # backfilled
    (got,) = hook.received
    expected = "sha256=" + hmac.new(secret.encode(), got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-Newstrace-Signature"] == expected
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Newstrace-Delivery"] == str(row.id)
    body = json.loads(got.body)
    assert body["delivery_id"] == row.id and body["rule"]["name"] == "guns"
    assert body["kind"] == "search_match" and body["evidence"]["spans"][0]["text"] == "artillery"
    forged = hmac.new(b"another secret", got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-Newstrace-Signature"] != "sha256=" + forged


def test_a_failing_webhook_is_retried_with_backoff_then_delivered(db: Path) -> None:
    with webhook_server(Webhook(fail_first=2)) as hook, open_store(db) as store:
        add_hook_rule(store, "guns", hook.url)
        waits: list[float] = []  # how long the run waits between attempts
        report = run_alerts(store, store._db, sleep=waits.append)
        (row,) = store.alert_history().items
    assert report is not None and report.delivered == 1
    assert [r.status for r in hook.received] == [500, 500, 200]
    assert len({r.headers["X-Newstrace-Delivery"] for r in hook.received}) == 1
    assert waits == [0.01, 0.02]  # alert_backoff, doubled
    assert (row.status, row.attempts, row.last_error) == ("delivered", 3, None)


def test_a_delivery_that_keeps_failing_is_kept_as_failed_and_retried_by_hand(db: Path) -> None:
    with webhook_server(Webhook(fail_first=3)) as hook, open_store(db) as store:
        add_hook_rule(store, "guns", hook.url)
        report = store.run_alerts()
        assert report is not None and (report.delivered, report.failed) == (0, 1)
        (row,) = store.alert_history(status="failed").items
        assert row.attempts == 3 and "HTTP 500" in (row.last_error or "")
        again = store.run_alerts()  # a failed alert waits for `alert retry`
        assert again is not None and (again.delivered, again.failed) == (0, 0)
        retried = store.retry_alerts()
        (done,) = store.alert_history().items
    assert (retried.delivered, retried.failed) == (1, 0)
    assert [r.status for r in hook.received] == [500, 500, 500, 200]
    assert done.status == "delivered" and done.last_error is None


def test_a_file_alert_to_a_device_is_delivered_once(db: Path) -> None:
    """A file target that is no regular file (/dev/null, a pipe) takes the alert: there
    is nothing to fsync there (fsync fails with EINVAL), so it is no failed delivery to
    retry with its backoff."""
    spec = rule_spec(
        "guns", "search", query="artillery", delivery="file", target=os.devnull, secret=None
    )
    with open_store(db) as store:
        store.add_alert(spec, backfill=True)
        report = store.run_alerts()
        (row,) = store.alert_history().items
    assert report is not None and (report.delivered, report.failed) == (1, 0)
    assert (row.status, row.attempts, row.last_error) == ("delivered", 1, None)


def test_an_unreachable_webhook_fails_with_its_reason(db: Path) -> None:
    with open_store(db) as store:
        add_hook_rule(store, "guns", f"http://127.0.0.1:{free_port()}/hook")
        report = store.run_alerts()
        (row,) = store.alert_history().items
    assert report is not None and report.failed == 1
    assert row.status == "failed" and "refused" in (row.last_error or "").lower()


def test_email_goes_over_smtp_with_the_alert_attached(db: Path) -> None:
    with (
        smtp_server() as (box, port),
        open_store(db, smtp_host="127.0.0.1", smtp_port=port) as store,
    ):
        spec = rule_spec(
            "mail", "search", query="artillery", delivery="email", target="desk@news.example"
        )
        store.add_alert(spec, backfill=True)
        report = store.run_alerts()
        (row,) = store.alert_history().items
    assert report is not None and report.delivered == 1
    ((sender, recipients, message),) = box.messages
    assert sender == "newstrace@localhost" and recipients == ["desk@news.example"]
    assert message["Subject"].startswith("[newstrace] mail: 'artillery' matches")
    assert message["Message-ID"] == f"<newstrace-alert-{row.id}@localhost>"
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert "http://127.0.0.1:8000/articles/" in text and "artillery" in text
    attached = json.loads(parts["application/json"].get_payload(decode=True))
    assert attached["delivery_id"] == row.id and attached["kind"] == "search_match"


def test_email_without_a_server_is_kept_as_failed(db: Path) -> None:
    with open_store(db, smtp_host="127.0.0.1", smtp_port=free_port()) as store:
        spec = rule_spec(
            "mail", "search", query="artillery", delivery="email", target="d@x.example"
        )
        store.add_alert(spec, backfill=True)
        report = store.run_alerts()
        (row,) = store.alert_history().items
    assert report is not None and report.failed == 1 and row.attempts == 3
    assert "SMTP 127.0.0.1" in (row.last_error or "")


# --- exactly once across a SIGKILLed runner ---------------------------------------------


def run_cli(db: Path | str, *args: str, lease: float = 300.0) -> subprocess.Popen[bytes]:
    """`newstrace --db DB ARGS` in a subprocess (this checkout's code)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "NEWSTRACE_ALERT_LEASE": str(lease),
        "NEWSTRACE_ALERT_BACKOFF": "0.01",
    }
    command = [sys.executable, "-m", "newstrace", "--db", str(db), *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_each_alert_is_delivered_once_across_a_killed_runner(both: str) -> None:
    """Five alerts; the receiver holds the third request open and the runner is
    SIGKILLed then. A rerun delivers the fourth and fifth, not the third (its outcome is
    unknown until the lease ends); a rerun after the lease sends the third again with
    the same delivery id. Every id arrives, the first two and the last two once each,
    the third twice with one id: a receiver keeping ids gets each alert once."""
    with webhook_server(Webhook(hold=3, hold_seconds=30)) as hook:
        with open_store(both) as store:
            for n in range(5):
                add_hook_rule(store, f"rule{n}", hook.url)
        runner = run_cli(both, "alert", "run")
        hook.wait_for(3)
        runner.send_signal(signal.SIGKILL)
        runner.wait(timeout=30)
        hook.hold = None
        assert run_cli(both, "alert", "run").wait(timeout=120) == 0
        with open_store(both) as store:
            states = Counter(d.status for d in store.alert_history().items)
        assert states == Counter(delivered=4, sending=1)
        assert run_cli(both, "alert", "run", lease=0).wait(timeout=120) == 0
        with open_store(both) as store:
            rows = store.alert_history().items
    assert {d.status for d in rows} == {"delivered"}
    ids = [r.headers["X-Newstrace-Delivery"] for r in hook.received]
    assert set(ids) == {str(d.id) for d in rows} and len(rows) == 5
    counts = Counter(ids)
    third = ids[2]
    assert counts[third] == 2 and all(n == 1 for i, n in counts.items() if i != third)
    assert {d.id: d.attempts for d in rows}[int(third)] == 2


def test_two_runners_at_once_deliver_each_alert_once(both: str) -> None:
    """Two `alert run` started together over six alerts and a slow receiver: every
    alert arrives once, from one runner or the other."""
    with webhook_server(Webhook(delay=0.2)) as hook:
        with open_store(both) as store:
            for n in range(6):
                add_hook_rule(store, f"rule{n}", hook.url)
        runners = [run_cli(both, "alert", "run") for _ in range(2)]
        assert [r.wait(timeout=120) for r in runners] == [0, 0]
        with open_store(both) as store:
            rows = store.alert_history().items
    assert {d.status for d in rows} == {"delivered"} and len(rows) == 6
    ids = [r.headers["X-Newstrace-Delivery"] for r in hook.received]
    assert sorted(ids) == sorted(str(d.id) for d in rows)
