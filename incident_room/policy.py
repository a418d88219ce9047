"""The playbook's numbers and lists (../shared/DOMAIN.md), in one place a team can change."""

from __future__ import annotations

from datetime import timedelta

SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
URGENT_SEVERITIES = ("SEV1", "SEV2")
SEVERITY_MEANING = {
    "SEV1": "Complete outage, data loss risk, many customers affected",
    "SEV2": "Degraded core function, partial feature down, moderate impact",
    "SEV3": "Minor issue, workaround exists, limited impact",
    "SEV4": "Cosmetic, internal-only, non-urgent bug",
}

# How long an incident's title and summary may be (the schema, declaring, editing).
TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 5000

STATUSES = (
    "declared",
    "investigating",
    "identified",
    "mitigated",
    "resolved",
    "postmortem",
    "closed",
)
ACTIVE_STATUSES = ("declared", "investigating", "identified", "mitigated")
STATUS_LABELS = {s: s.capitalize() for s in STATUSES} | {"postmortem": "Post-mortem"}

# Moves `incident.update` may make. `resolved` is reached only by the IC's all-clear;
# going from resolved back to investigating is a reopen, recorded as such.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    "declared": frozenset({"investigating", "identified", "mitigated"}),
    "investigating": frozenset({"identified", "mitigated"}),
    "identified": frozenset({"investigating", "mitigated"}),
    "mitigated": frozenset({"investigating", "identified"}),
    "resolved": frozenset({"investigating", "postmortem"}),
    "postmortem": frozenset({"closed"}),
    "closed": frozenset(),
}

ROLES = ("incident_commander", "communications_lead", "technical_lead", "scribe")
ROLE_LABELS = {
    "incident_commander": "Incident Commander",
    "communications_lead": "Communications Lead",
    "technical_lead": "Technical Lead",
    "scribe": "Scribe",
}
REQUIRED_ROLES: dict[str | None, tuple[str, ...]] = {
    "SEV1": ROLES,
    "SEV2": ("incident_commander", "technical_lead"),
    "SEV3": (),
    "SEV4": (),
    None: (),
}
ROLE_FILL_DEADLINE = timedelta(minutes=15)

STAKEHOLDER_UPDATE_EVERY = timedelta(minutes=15)
STATUS_PAGE_UPDATE_EVERY = timedelta(minutes=30)
# Who an update is for, and how often each audience hears from the team.
UPDATE_AUDIENCES = ("stakeholders", "status_page")
AUDIENCE_LABELS = {"stakeholders": "Internal stakeholders", "status_page": "Public status page"}
UPDATE_CADENCE = {"stakeholders": STAKEHOLDER_UPDATE_EVERY, "status_page": STATUS_PAGE_UPDATE_EVERY}
ESCALATE_SEV2_AFTER = timedelta(minutes=60)
# How long before a deadline its owner is told it is near (then told again when it passes):
# the Communications Lead for updates, the IC for roles, severity and escalation.
DEADLINE_WARNING = {
    "role": timedelta(minutes=2),
    "classify": timedelta(minutes=2),
    "update": timedelta(minutes=2),
    "escalation": timedelta(minutes=5),
    "postmortem": timedelta(hours=12),
}
DEFAULT_SEVERITY_AFTER = timedelta(minutes=10)
DEFAULT_SEVERITY = "SEV2"
POSTMORTEM_DUE_AFTER = timedelta(hours=48)


def spoken(delta: timedelta) -> str:
    """A policy duration as the playbook says it: '10 minutes', '60 minutes', '48 hours'."""
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60 == 0 and minutes > 60:
        count, unit = minutes // 60, "hour"
    else:
        count, unit = minutes, "minute"
    return f"{count} {unit}{'' if count == 1 else 's'}"


# What the room says when a rule fires; built from the numbers above so they never disagree.
DEFAULT_SEVERITY_TEXT = (
    f"Not classified within {spoken(DEFAULT_SEVERITY_AFTER)}: "
    f"severity defaulted to {DEFAULT_SEVERITY}."
)
ESCALATION_PROMPT_TEXT = (
    f"SEV2 not mitigated within {spoken(ESCALATE_SEV2_AFTER)}: escalate to SEV1 procedures."
)
UNCLASSIFIED_HINT = (
    f"Severity is optional: unclassified incidents default to {DEFAULT_SEVERITY} "
    f"after {spoken(DEFAULT_SEVERITY_AFTER)}."
)

TIMELINE_KINDS = (
    "note",
    "action",
    "decision",
    "status",
    "role",
    "escalation",
    "update",
    "all_clear",
    "hypothesis",
)
# Kinds a person writes; the others are written by the app as things happen.
WRITABLE_KINDS = ("note", "action", "decision", "hypothesis", "update")

# (key, text). Keys let a severity change keep ticked items and swap the rest.
FULL_CHECKLIST = (
    ("war_room", "Establish the war room and confirm participants"),
    ("symptoms", "Define symptoms: what broke, who is affected, when it started"),
    ("root_cause", "Start root-cause analysis (do not stop at the first cause)"),
    ("mitigation", "Attempt mitigation while investigating (rollback, flag flip, failover)"),
    ("vendor", "Escalate to vendor support if needed"),
    ("communicate", f"Communicate progress every {spoken(STAKEHOLDER_UPDATE_EVERY)}"),
    ("confirm_recovery", "Confirm recovery with monitoring/metrics"),
    ("confirm_resolution", "Confirm resolution with more than one person"),
    ("all_clear", "IC calls all-clear"),
    ("schedule_postmortem", f"Schedule the post-mortem within {spoken(POSTMORTEM_DUE_AFTER)}"),
)
SHORT_CHECKLIST_KEYS = ("symptoms", "mitigation", "confirm_recovery", "all_clear")
# The playbook item the all-clear itself ticks.
ALL_CLEAR_ITEM = "all_clear"
# "Confirm resolution with more than one person": the all-clear of these severities waits
# for a second participant, who ticks this item; the IC may go alone with a reason.
ALL_CLEAR_NEEDS_SECOND = URGENT_SEVERITIES
SECOND_CONFIRMATION_ITEM = "confirm_resolution"


def checklist_template(severity: str | None) -> tuple[tuple[str, str], ...]:
    """The checklist for a severity; unclassified gets the full list (it becomes SEV2)."""
    if severity in ("SEV3", "SEV4"):
        return tuple(item for item in FULL_CHECKLIST if item[0] in SHORT_CHECKLIST_KEYS)
    return FULL_CHECKLIST


# The post-mortem (../shared/DOMAIN.md, "Post-mortem"): the sections the team writes, in
# the order the document shows them. Action items sit between "where we got lucky" and
# "lessons"; the five whys together are the root cause.
POSTMORTEM_SECTIONS = (
    ("summary", "Summary", "What happened, in a few sentences a newcomer would follow."),
    ("customer_impact", "Customer impact", "Who was affected, how, and for how long."),
    ("why_1", "Why 1", "Why did customers see the failure?"),
    ("why_2", "Why 2", "Why did that happen?"),
    ("why_3", "Why 3", "And why did that happen?"),
    ("why_4", "Why 4", "Keep going: do not stop at the first cause."),
    ("why_5", "Why 5", "The condition in the system that made all of it possible."),
    ("contributing_factors", "Contributing factors", "What made it worse or slower to fix."),
    ("went_well", "What went well", "In the response: what to keep doing."),
    ("went_badly", "What went badly", "In the response: what got in the way."),
    ("got_lucky", "Where we got lucky", "What could have made it much worse."),
    ("lessons", "Lessons", "What we learned about our systems and how we work."),
)
FIVE_WHYS = ("why_1", "why_2", "why_3", "why_4", "why_5")
# When a post-mortem is required (the playbook): every SEV1; every SEV2 with customer
# impact; more engineering time than POSTMORTEM_ENGINEERING_TIME (each participant's time
# in the room while the incident was open, summed); the RECURRING_SEV3_COUNT-th SEV3 of
# one service or alert key within the configured window (POSTMORTEM_RECURRENCE_WINDOW_DAYS,
# default RECURRENCE_WINDOW_DAYS).
POSTMORTEM_ALWAYS_SEVERITIES = ("SEV1",)
POSTMORTEM_IF_CUSTOMER_IMPACT = ("SEV2",)
POSTMORTEM_ENGINEERING_TIME = timedelta(hours=4)
RECURRING_SEVERITY = "SEV3"
RECURRING_SEV3_COUNT = 3
RECURRENCE_WINDOW_DAYS = 90
# What the IC may decide on top of the rules: ask for one anyway, or waive a required one.
POSTMORTEM_CHOICES = ("asked", "waived")
# The post-mortem's schedule from the all-clear (the playbook): (key, label, due after).
# The meeting is held on day 2-3 (offered at MEETING_OFFERED_AFTER, MEETING_LENGTH long);
# the draft's review period lasts POSTMORTEM_REVIEW_PERIOD.
# The playbook's action item review: are the items done 30 days after the all-clear?
ACTION_ITEM_REVIEW_AFTER = timedelta(days=30)
POSTMORTEM_MILESTONES: tuple[tuple[str, str, timedelta], ...] = (
    ("draft", "Draft the timeline and first analysis", timedelta(days=1)),
    ("meeting", "Hold the post-mortem meeting", timedelta(days=3)),
    ("review", "24-hour review of the draft", timedelta(days=4)),
    ("publish", "Publish the final version", timedelta(days=5)),
    ("action_review", "Review the action items", ACTION_ITEM_REVIEW_AFTER),
)
MILESTONE_KEYS = tuple(key for key, _, _ in POSTMORTEM_MILESTONES)
MILESTONE_LABELS = {key: label for key, label, _ in POSTMORTEM_MILESTONES}
MEETING_OFFERED_AFTER = timedelta(days=2)
MEETING_LENGTH = timedelta(minutes=60)
POSTMORTEM_REVIEW_PERIOD = timedelta(hours=24)
# The day-30 review's outcome: the items are done (or settled), or some need following up
# (then the notes say how).
ACTION_REVIEW_OUTCOMES = {
    "done": "Done: every item is done or settled",
    "follow_up": "Needs follow-up",
}
# A reviewer's answer on the draft: approve it, or ask for changes (saying which).
REVIEW_DECISIONS = {"approved": "Approved", "changes_requested": "Changes requested"}
# Milestones that the post-mortem's own status completes: in review ends the draft,
# publishing ends the review and the publishing.
MILESTONES_DONE_BY_STATUS = {"in_review": ("draft",), "published": ("draft", "review", "publish")}
POSTMORTEM_STATUSES = ("draft", "in_review", "published")
POSTMORTEM_STATUS_LABELS = {"draft": "Draft", "in_review": "In review", "published": "Published"}
# Publishing freezes a revision; changing it afterwards means starting a new revision.
POSTMORTEM_STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"in_review"}),
    "in_review": frozenset({"draft", "published"}),
    "published": frozenset(),
}
# Timeline kinds drawn as markers on the post-mortem's one-glance timeline.
KEY_TIMELINE_KINDS = ("decision", "escalation", "all_clear")

# What the status page says for an incident's status and severity.
PUBLIC_STATUS = {
    "declared": "Investigating",
    "investigating": "Investigating",
    "identified": "Identified",
    "mitigated": "Monitoring",
    "resolved": "Resolved",
    "postmortem": "Resolved",
    "closed": "Resolved",
}
PUBLIC_IMPACT_LEVEL = {
    "SEV1": "Major outage",
    "SEV2": "Partial outage",
    "SEV3": "Minor issue",
    "SEV4": "Cosmetic issue",
    None: "We are assessing the impact",
}

# Insights across incidents (services/insights/): incident fatigue is real. A week is a
# spike when it has at least INCIDENT_SPIKE_MINIMUM incidents and more than
# INCIDENT_SPIKE_FACTOR times the median of the INCIDENT_SPIKE_TRAILING_WEEKS weeks before it.
INCIDENT_SPIKE_MINIMUM = 3
INCIDENT_SPIKE_FACTOR = 2
INCIDENT_SPIKE_TRAILING_WEEKS = 8
# The insights page's default period, and the longest one it will compute.
INSIGHTS_DEFAULT_PERIOD = timedelta(days=90)
INSIGHTS_LONGEST_PERIOD = timedelta(days=3 * 366)

# Action items after the post-mortem (services/postmortem/action_items.py): their states,
# the moves between them that make sense (a done item is reopened, never waived; a waived
# one is reopened before it is done), and the states that need a reason.
ACTION_ITEM_STATES = {
    "open": "Open",
    "in_progress": "In progress",
    "done": "Done",
    "wont_do": "Won't do",
}
ACTION_ITEM_MOVES = {
    "open": ("in_progress", "done", "wont_do"),
    "in_progress": ("open", "done", "wont_do"),
    "done": ("in_progress",),
    "wont_do": ("open",),
}
ACTION_ITEM_STATES_NEEDING_REASON = ("wont_do",)
# Still to be done: these count as overdue after their due date, and the board shows them first.
ACTION_ITEM_OPEN_STATES = ("open", "in_progress")

# When a timeline entry may say it happened: impact often starts before anyone declares
# (ENTRY_EARLIEST_BEFORE_DECLARATION covers a slow detection), and nothing is written ahead
# of time beyond a browser clock's drift or a wrongly picked zone (ENTRY_LATEST_AFTER_NOW).
ENTRY_EARLIEST_BEFORE_DECLARATION = timedelta(days=30)
ENTRY_LATEST_AFTER_NOW = timedelta(hours=1)
# On-call schedules (issue 19, services/oncall/): rotate weekly, never the same person two
# weeks in a row, at least ROTATION_MIN_PEOPLE people in a rotation (1 week in 5); a
# follow-the-sun region is on call for its business hours plus FOLLOW_THE_SUN_BUFFER.
ROTATION_MIN_PEOPLE = 5
FOLLOW_THE_SUN_BUFFER = timedelta(hours=2)
# The schedule page draws this many weeks ahead; a gap within them is refused on saving.
ONCALL_TIMELINE_WEEKS = 4
# A person's calendar feed carries their shifts from this far back to this far ahead.
ONCALL_FEED_PAST = timedelta(weeks=4)
ONCALL_FEED_AHEAD = timedelta(weeks=26)

# Lowering an incident's severity is the IC's call; anyone else gives a reason, which the
# timeline keeps (services/lifecycle.py). Reasons, like escalation reasons, stay short.
REASON_MAX_LENGTH = 1000


def lowers_severity(old: str | None, new: str) -> bool:
    """SEV1 -> SEV2 lowers; classifying an unclassified incident does not."""
    return old in SEVERITIES and SEVERITIES.index(new) > SEVERITIES.index(old)


# The playbook auto-creates a war-room call for these severities (BRIDGE_URL_TEMPLATE).
BRIDGE_SEVERITIES = ("SEV1", "SEV2")

# Drills: a rehearsal's playbook clock may run this many times faster, so the 10-, 15- and
# 60-minute rules can be practised in minutes (services/timers.py).
DRILL_SPEEDS = (1, 10, 60)
