"""All models, imported here so Alembic and the app see the whole schema."""

from .catalog import Service, Team, TeamMember
from .chat import ChatIdentity, ChatMessage, ChatSettings, ChatThread
from .checklist import ChecklistItem
from .event import AppliedOperation, IncidentEvent
from .evidence import Evidence
from .incident import Incident, IncidentMember
from .insights import SpikeNotice
from .live_text import LiveTextDocument, LiveTextUpdate
from .mail import MailMessage
from .oncall import CalendarFeed, LayerPerson, OnCallOverride, OnCallSchedule, RotationLayer
from .paging import EscalationPolicy, EscalationStep, Page, PageNotice
from .postmortem import (
    Postmortem,
    PostmortemActionItem,
    PostmortemActionReview,
    PostmortemChange,
    PostmortemMilestone,
    PostmortemRequirement,
    PostmortemReview,
    PostmortemSection,
)
from .presence import PresenceInterval, RoomPresence, WorkerHeartbeat
from .role import RoleAssignment
from .runbook import IncidentRunbook, Runbook, RunbookStepItem, RunbookVersion
from .search import SearchDocument
from .sharing import ObserverConnection, ObserverLink, UpdateTemplate
from .status_page import (
    StatusComponent,
    StatusComponentService,
    StatusIncidentComponent,
    StatusMaintenance,
    StatusMaintenanceComponent,
    StatusMaintenanceUpdate,
    StatusNotice,
    StatusPageVersion,
    StatusPublicIncident,
    StatusStateChange,
    StatusSubscriber,
    StatusSubscriberComponent,
    StatusWebhookDelivery,
)
from .throttle import Throttle
from .timeline import TimelineEntry, TimelineRevision
from .tracker import IssueTracker
from .user import ApiToken, LoginSession, User
from .webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "AppliedOperation",
    "CalendarFeed",
    "ChatIdentity",
    "ChatMessage",
    "ChatSettings",
    "ChatThread",
    "ChecklistItem",
    "EscalationPolicy",
    "EscalationStep",
    "Evidence",
    "Incident",
    "IncidentEvent",
    "IncidentMember",
    "IncidentRunbook",
    "IssueTracker",
    "LayerPerson",
    "LiveTextDocument",
    "LiveTextUpdate",
    "LoginSession",
    "MailMessage",
    "ObserverConnection",
    "ObserverLink",
    "OnCallOverride",
    "OnCallSchedule",
    "Page",
    "PageNotice",
    "Postmortem",
    "PostmortemActionItem",
    "PostmortemActionReview",
    "PostmortemChange",
    "PostmortemMilestone",
    "PostmortemRequirement",
    "PostmortemReview",
    "PostmortemSection",
    "PresenceInterval",
    "RoleAssignment",
    "RoomPresence",
    "RotationLayer",
    "Runbook",
    "RunbookStepItem",
    "RunbookVersion",
    "SearchDocument",
    "Service",
    "SpikeNotice",
    "StatusComponent",
    "StatusComponentService",
    "StatusIncidentComponent",
    "StatusMaintenance",
    "StatusMaintenanceComponent",
    "StatusMaintenanceUpdate",
    "StatusNotice",
    "StatusPageVersion",
    "StatusPublicIncident",
    "StatusStateChange",
    "StatusSubscriber",
    "StatusSubscriberComponent",
    "StatusWebhookDelivery",
    "Team",
    "TeamMember",
    "Throttle",
    "TimelineEntry",
    "TimelineRevision",
    "UpdateTemplate",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WorkerHeartbeat",
]
