// The room as this browser knows it: built from the join state, then kept current by
// applying each incident event (in seq order, which the connection guarantees) and the
// entries that acks return. Views subscribe and redraw the parts that changed.

const INCIDENT_EVENTS = new Set([
  "incident.declared", "incident.updated", "incident.all_clear", "incident.escalated",
  "incident.all_clear_asked", "incident.all_clear_withdrawn",
  "incident.escalation_prompted", "incident.severity_defaulted",
]);

export class RoomStore {
  constructor(currentUser) {
    this.me = currentUser;
    this.incident = null;
    this.entries = new Map();
    this.roles = [];
    this.checklist = [];
    this.evidence = new Map();
    this.participants = [];
    this.members = [];
    this.observerLinks = [];
    this.runbooks = [];
    this.pages = [];
    this.timers = { deadlines: [], escalation_prompt: false };
    this.presence = { users: [], editing: {} };
    this.listeners = new Set();
  }

  /** `listener(changed)`: `changed.parts` (Set of names), `changed.entries` (Set of ids). */
  subscribe(listener) {
    this.listeners.add(listener);
  }

  notify(parts, entryIds = []) {
    const changed = { parts: new Set(parts), entries: new Set(entryIds) };
    for (const listener of this.listeners) listener(changed);
  }

  applyState(state) {
    this.incident = state.incident;
    const typedHere = [...this.entries.values()].filter((entry) => entry.pending);
    this.entries = new Map(state.timeline.map((entry) => [entry.id, entry]));
    for (const entry of typedHere) if (!this.entries.has(entry.id)) this.entries.set(entry.id, entry);
    this.roles = state.roles;
    this.checklist = state.checklist;
    this.evidence = new Map((state.evidence || []).map((item) => [item.id, item]));
    this.participants = state.participants;
    this.members = state.members || [];
    this.observerLinks = state.observer_links || [];
    this.runbooks = state.runbooks || [];
    this.pages = state.pages || [];
    this.timers = state.timers;
    this.notify(["incident", "timeline", "roles", "checklist", "evidence", "participants", "members",
      "observer_links", "timers", "runbooks", "pages"],
      this.entries.keys());
  }

  applyEvent(event) {
    const { type, data } = event;
    if (INCIDENT_EVENTS.has(type)) {
      this.incident = data.incident;
      if (data.roles) this.roles = data.roles;
      if (data.checklist) this.checklist = data.checklist;
      if (data.entry) this.putEntry(data.entry);
      this.notify(["incident", "roles", "checklist", "timeline"], data.entry ? [data.entry.id] : []);
    } else if (type.startsWith("timeline.")) {
      this.acceptEntry(data.entry);
    } else if (type === "role.changed" || type.startsWith("page.") || type === "postmortem.requirement_set") {
      if (data.roles) this.roles = data.roles;
      if (data.page) this.pages = [...this.pages.filter((page) => page.id !== data.page.id), data.page];
      if (data.entry) this.putEntry(data.entry);
      this.notify(["roles", "timeline", "pages"], data.entry ? [data.entry.id] : []);
    } else if (type === "checklist.toggled" || type === "checklist.added") {
      this.acceptChecklistItem(data.item);
    } else if (type === "checklist.reordered") {
      this.acceptChecklist(data.checklist);
    } else if (type === "evidence.attached") {
      this.evidence.set(data.evidence.id, data.evidence);
      this.notify(["evidence"], [data.evidence.entry_id]);
    } else if (type === "participant.joined") {
      this.addParticipant(data.participant);
    } else if (type === "member.invited" || type === "member.removed") {
      this.acceptMembers(data.members);
    } else if (type === "observer.link_created" || type === "observer.link_revoked") {
      this.acceptObserverLink(data.link);
    } else if (type === "runbook.attached") {
      this.acceptRunbook(data.runbook, data.checklist);
    }
  }

  applyTimers(timers) {
    this.timers = timers;
    this.notify(["timers"]);
  }

  applyPresence(presence) {
    const before = Object.keys(this.presence.editing);
    this.presence = { users: presence.users, editing: presence.editing || {} };
    this.notify(["presence"], new Set([...before, ...Object.keys(this.presence.editing)]));
  }

  // Entries arrive from events and from acks, in either order: keep the newest version,
  // and skip a copy of what is held (so an open history or focus is not redrawn away).
  putEntry(entry) {
    const held = this.entries.get(entry.id);
    if (held && held.version > entry.version) return false;
    if (held && !held.pending && held.version === entry.version && held.shareable === entry.shareable) {
      return false;
    }
    this.entries.set(entry.id, entry);
    return true;
  }

  acceptEntry(entry) {
    if (this.putEntry(entry)) this.notify(["timeline"], [entry.id]);
  }

  /** An entry typed here and not yet acknowledged: shown at once, replaced by version 1. */
  putPending(entry) {
    this.entries.set(entry.id, { ...entry, version: 0, pending: true });
    this.notify(["timeline"], [entry.id]);
  }

  dropEntry(id) {
    if (this.entries.delete(id)) this.notify(["timeline"], [id]);
  }

  acceptIncident(incident) {
    if (this.incident && incident.seq < this.incident.seq) return;
    this.incident = incident;
    this.notify(["incident"]);
  }

  acceptChecklistItem(item) {
    const index = this.checklist.findIndex((held) => held.id === item.id);
    if (index >= 0) this.checklist[index] = item;
    else this.checklist.push(item);
    this.notify(["checklist"]);
  }

  acceptChecklist(checklist) {
    this.checklist = checklist;
    this.notify(["checklist"]);
  }

  /** A runbook brought into the room (from its event or the attach ack), with the checklist
   * its steps joined. */
  acceptRunbook(runbook, checklist) {
    if (!this.runbooks.some((held) => held.id === runbook.id)) this.runbooks.push(runbook);
    this.checklist = checklist;
    this.notify(["runbooks", "checklist"]);
  }

  acceptMembers(members) {
    this.members = members;
    this.notify(["members"]);
  }

  /** Newest first, as the server lists them; a revoked link replaces its live copy. */
  acceptObserverLink(link) {
    this.observerLinks = [link, ...this.observerLinks.filter((held) => held.id !== link.id)]
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    this.notify(["observer_links"]);
  }

  acceptRoles(roles) {
    this.roles = roles;
    this.notify(["roles"]);
  }

  addParticipant(user) {
    if (!this.participants.some((held) => held.id === user.id)) {
      this.participants = [...this.participants, user];
      this.notify(["participants"]);
    }
  }

  orderedEntries() {
    return [...this.entries.values()].sort(
      (a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at)
        || Date.parse(a.recorded_at) - Date.parse(b.recorded_at),
    );
  }

  evidenceFor(entryId) {
    return [...this.evidence.values()].filter((item) => item.entry_id === entryId);
  }

  editorsOf(entryId) {
    return (this.presence.editing[entryId] || []).filter((user) => user.id !== this.me.id);
  }

  holderOf(role) {
    return this.roles.find((held) => held.role === role)?.holder || null;
  }

  iAmCommander() {
    return this.holderOf("incident_commander")?.id === this.me.id;
  }

  /** The IC and the Communications Lead speak for the incident (updates, sharing). */
  iMayCommunicate() {
    return this.iAmCommander() || this.holderOf("communications_lead")?.id === this.me.id;
  }
}
