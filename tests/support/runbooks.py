"""A runbook that passes every check, and saving one directly."""

from __future__ import annotations

from incident_room.models import Runbook, User
from incident_room.services.runbooks.authoring import RunbookDraft, save_runbook

GOOD_BODY = """\
## 1 Symptom
> payments_error_rate > 5% for 5 minutes

## 2 Impact
Customers cannot pay at checkout. SEV2 unless every payment fails.

## 3 Investigation steps
1. Check the error dashboard at https://grafana.example/d/payments.
   Normal: under 1% errors. Abnormal: above 5%; go to step 2.
2. Run `kubectl -n payments get pods`.
   Normal: all Running. Abnormal: CrashLoopBackOff means a bad deploy; mitigate with step 1 below.

## 4 Mitigation steps
1. Roll back: `kubectl -n payments rollout undo deploy/payments-api`.
2. Turn off the `new-checkout` feature flag.

## 5 Escalation
After 15 minutes, page the Payments team lead (@payments-lead).

## 6 Context
Architecture: https://wiki.example/payments. Dashboards above. On-call: the Payments schedule.
"""


def save_good_runbook(
    user: User, service: str = "payments-api", alert_key: str = "PaymentsHighErrorRate"
) -> Runbook:
    """Save GOOD_BODY as `user` (inside an app context); returns the runbook."""
    runbook, _warnings = save_runbook(
        user, RunbookDraft(service, alert_key, "Payments team", GOOD_BODY)
    )
    return runbook
