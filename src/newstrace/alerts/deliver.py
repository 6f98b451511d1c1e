"""Sending one alert: standard output (JSON Lines), a file, a webhook, or email.

Network I/O lives here, in the alerts package (above the read layer, below `api`),
because a delivery is a step of the alert run whose state is kept in the store: the
sources package fetches articles, and nothing below `alerts` knows what an alert is.

Every delivery sends the same JSON body (the alert, its evidence and ``delivery_id``):

- ``stdout``: one line of JSON on standard output;
- ``file``: one line of JSON appended to the file (and flushed to disk);
- ``webhook``: ``POST`` of the body (``application/json``) with the headers
  ``X-Newstrace-Delivery`` (the delivery id: the same on every retry, so a receiver can
  drop a repeat) and ``X-Newstrace-Signature: sha256=HEX`` (HMAC-SHA256 of the raw
  body with the rule's secret); any status but 2xx is a failure;
- ``email``: a plain-text mail (summary, link, evidence) with the body attached as
  ``alert.json``, its ``Message-ID`` fixed per delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import stat
import sys
import urllib.error
import urllib.request
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TextIO

from newstrace.errors import NewstraceError
from newstrace.settings import Settings
from newstrace.store.alerts import AlertRule

SIGNATURE_HEADER = "X-Newstrace-Signature"
DELIVERY_HEADER = "X-Newstrace-Delivery"


class DeliveryError(NewstraceError):
    """One attempt to deliver an alert failed (the reason names the target)."""


def body_bytes(body: dict[str, Any]) -> bytes:
    """The JSON every delivery sends, as bytes (UTF-8, keys sorted)."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """The value of the signature header: ``sha256=`` and the HMAC-SHA256 hex digest."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send(rule: AlertRule, body: dict[str, Any], settings: Settings, out: TextIO | None) -> None:
    """Deliver `body` the way `rule` says; `DeliveryError` when this attempt failed."""
    data = body_bytes(body)
    if rule.delivery == "stdout":
        stream = out or sys.stdout
        stream.write(data.decode("utf-8") + "\n")
        stream.flush()
    elif rule.delivery == "file":
        _append(Path(rule.target), data)
    elif rule.delivery == "webhook":
        _post(rule, data, str(body["delivery_id"]), settings.alert_timeout)
    elif rule.delivery == "email":
        _mail(rule, body, data, settings)
    else:
        raise DeliveryError(f"rule {rule.name}: unknown delivery {rule.delivery!r}")


def _append(path: Path, data: bytes) -> None:
    try:
        with path.open("ab") as handle:
            handle.write(data + b"\n")
            handle.flush()
            if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                # a device or a pipe (/dev/null, a FIFO) holds nothing to sync: fsync
                # fails there (EINVAL) though the alert was written
                os.fsync(handle.fileno())
    except OSError as exc:
        raise DeliveryError(f"{path}: cannot append the alert ({exc.strerror or exc})") from exc


def _post(rule: AlertRule, data: bytes, delivery_id: str, timeout: float) -> None:
    request = urllib.request.Request(rule.target, data=data, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("User-Agent", "newstrace-alerts")
    request.add_header(DELIVERY_HEADER, delivery_id)
    request.add_header(SIGNATURE_HEADER, signature(rule.secret, data))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"{rule.target}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"{rule.target}: {reason}") from exc


def email_message(rule: AlertRule, body: dict[str, Any], data: bytes, sender: str) -> EmailMessage:
    """The mail of one alert: subject from the rule and summary, text, JSON attached."""
    message = EmailMessage()
    message["Subject"] = f"[newstrace] {rule.name}: {body['summary']}"[:200]
    message["From"] = sender
    message["To"] = rule.target
    message["Message-ID"] = f"<newstrace-alert-{body['delivery_id']}@{sender.split('@')[-1]}>"
    lines = [str(body["summary"]), "", str(body.get("url", "")), ""]
    lines += [f"  {span['text']}" for span in evidence_spans(body)]
    message.set_content("\n".join(lines))
    message.add_attachment(data, maintype="application", subtype="json", filename="alert.json")
    return message


def evidence_spans(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every evidence span (``{"article_id", "start", "end", "text"}``) in an alert."""
    found: list[dict[str, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if {"start", "end", "text"} <= value.keys() and isinstance(value["text"], str):
                found.append(value)
                return
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(body.get("evidence"))
    unique = {(s.get("article_id"), s["start"], s["end"]): s for s in found}
    return list(unique.values())


def _mail(rule: AlertRule, body: dict[str, Any], data: bytes, settings: Settings) -> None:
    if not settings.smtp_host:
        raise DeliveryError(f"{rule.target}: no SMTP server (set smtp_host)")
    message = email_message(rule, body, data, settings.smtp_from)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.alert_timeout
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{rule.target}: SMTP {settings.smtp_host}: {exc}") from exc
