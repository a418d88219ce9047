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
