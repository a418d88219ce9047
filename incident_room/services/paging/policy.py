"""The playbook's paging rules: how long each step waits for an ack, and the limits."""

from __future__ import annotations

# Minutes a step waits for an ack before the next is paged (the playbook: SEV1 5, SEV2 15);
# each policy may change them. Less urgent pages wait this long by default.
ACK_MINUTES_DEFAULT = {"SEV1": 5, "SEV2": 15}
ACK_MINUTES_OTHER = 30
ACK_MINUTES_MAX = 24 * 60
MAX_STEPS = 10
LABEL_MAX = 100
PAGE_STATUSES = ("triggered", "acknowledged", "resolved")
# A SEV1 war room pages the manager at once, besides the first step.
MANAGER_AT_ONCE = ("SEV1",)

# On-call health per week, by the playbook: (healthy while below, unhealthy above) for
# figures where less is better; the runbook share is better high (above 80% healthy,
# below 50% unhealthy). Between the two: watch it.
HEALTH_LIMITS = {
    "pages": (5, 10),
    "after_hours": (2, 5),
    "mtta_sev1": (5, 15),  # minutes
    "mtta_sev2": (15, 30),
}
RUNBOOK_SHARE_LIMITS = (80, 50)  # percent
HEALTH_WEEKS = 12
# Business hours in the paged person's own zone, Monday to Friday; outside is after hours.
BUSINESS_HOURS = (9, 18)
