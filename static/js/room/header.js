// The room's header: severity and status (readable and changeable), the elapsed time, the
// playbook's deadlines counting down on the server's clock, and the links to the pages
// around the room (the all-clear is all-clear.js).
import { el, replaceChildren } from "../dom.js";
import { formatDuration, formatLocalTime, formatUtc } from "../time.js";

const CLOSED_STATUSES = new Set(["resolved", "postmortem", "closed"]);

export class Header {
  constructor(root, { store, config, clock, send }) {
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.send = send;
    this.title = root.querySelector('[data-field="title"]');
    this.summary = root.querySelector('[data-field="summary"]');
    this.severityBadge = root.querySelector('[data-field="severity-badge"]');
    this.statusBadge = root.querySelector('[data-field="status-badge"]');
    this.elapsed = root.querySelector('[data-field="elapsed"]');
    this.controls = root.querySelector("#incident-controls");
    this.severity = root.querySelector("#severity-select");
    this.status = root.querySelector("#status-select");
    this.bridgeLink = root.querySelector("#bridge-link");
    this.deadlines = root.querySelector("#deadlines");
    this.postmortemLink = root.querySelector("#link-postmortem");
    root.querySelector("#link-draft-update").href = config.links.draft_update;
    root.querySelector("#link-observers").href = config.links.observers;
    this.postmortemLink.href = config.links.postmortem;
    this.severity.addEventListener("change", () => this.changeSeverity());
    this.status.addEventListener("change", () => this.changeStatus());
    store.subscribe((changed) => {
      if (changed.parts.has("incident") || changed.parts.has("roles")) this.render();
      if (["timers", "roles"].some((part) => changed.parts.has(part))) this.renderDeadlines();
    });
    setInterval(() => this.tick(), 1000);
  }

  render() {
    const incident = this.store.incident;
    if (!incident) return;
    this.title.textContent = incident.title;
    this.summary.textContent = incident.summary || "";
    this.summary.hidden = !incident.summary;
    this.severityBadge.textContent = incident.severity || "Unclassified";
    this.severityBadge.className = `sev sev-${(incident.severity || "none").toLowerCase()}`;
    this.statusBadge.textContent = this.config.status_labels[incident.status];
    this.statusBadge.className = `status status-${incident.status}`;
    this.renderSeverityChoices(incident);
    this.renderStatusChoices(incident);
    const active = this.config.active_statuses.includes(incident.status);
    this.postmortemLink.hidden = !CLOSED_STATUSES.has(incident.status);
    // The war-room call, pinned while the incident is active.
    this.bridgeLink.hidden = !(incident.bridge_url && active);
    if (incident.bridge_url) this.bridgeLink.href = incident.bridge_url;
    this.controls.hidden = false;
    this.tick();
  }

  renderSeverityChoices(incident) {
    const options = incident.severity ? [] : [el("option", { value: "" }, "Unclassified")];
    for (const sev of this.config.severities) {
      options.push(el("option", { value: sev, title: this.config.severity_meaning[sev] },
        `${sev} — ${this.config.severity_meaning[sev]}`));
    }
    replaceChildren(this.severity, options);
    this.severity.value = incident.severity || "";
  }

  renderStatusChoices(incident) {
    const moves = this.config.status_transitions[incident.status] || [];
    const options = [incident.status, ...moves].map((status) =>
      el("option", { value: status }, this.config.status_labels[status]));
    replaceChildren(this.status, options);
    this.status.value = incident.status;
    this.status.disabled = moves.length === 0;
  }

  renderDeadlines() {
    const { deadlines = [], escalation_prompt: escalate } = this.store.timers || {};
    const items = deadlines.map((deadline) => el("li", {
      class: "deadline", dataset: { key: deadline.key, due: deadline.due_at },
    }, el("span", { class: "deadline-label" }, deadline.label), " ",
    el("time", { dateTime: deadline.due_at, title: formatUtc(new Date(deadline.due_at)) },
      formatLocalTime(new Date(deadline.due_at))), " ",
    el("span", { class: "deadline-left" })));
    if (escalate) items.unshift(this.escalationPrompt());
    replaceChildren(this.deadlines, items);
    this.tick();
  }

  // SEV2 unmitigated for an hour: everyone sees the prompt, the IC can act on it here.
  escalationPrompt() {
    const prompt = el("li", { class: "deadline overdue escalation", role: "alert" },
      this.config.messages.escalation_prompt);
    if (!this.store.iAmCommander()) return prompt;
    const reason = el("input", { id: "escalation-reason", maxlength: 1000, required: true });
    prompt.append(el("form", {
      class: "row escalate-form",
      onsubmit: async (event) => {
        event.preventDefault();
        await this.send("incident.escalate", { reason: reason.value.trim() }, "Not escalated");
      },
    }, el("label", { for: reason.id, class: "sr-only" }, "Reason for escalating"), reason,
    el("button", { type: "submit", class: "danger" }, "Escalate to SEV1")));
    reason.placeholder = "Reason, e.g. error rate still rising";
    return prompt;
  }

  tick() {
    const incident = this.store.incident;
    if (!incident) return;
    const now = this.clock.nowMs();
    const resolvedAt = incident.status_reached?.resolved;
    const end = CLOSED_STATUSES.has(incident.status) && resolvedAt ? Date.parse(resolvedAt) : now;
    this.elapsed.textContent = formatDuration(end - Date.parse(incident.declared_at));
    for (const item of this.deadlines.querySelectorAll("li[data-due]")) {
      const left = Date.parse(item.dataset.due) - now;
      const overdue = left <= 0;
      item.classList.toggle("overdue", overdue);
      item.querySelector(".deadline-left").textContent =
        overdue ? `overdue by ${formatDuration(left)}` : `in ${formatDuration(left)}`;
    }
  }

  async changeSeverity() {
    const severity = this.severity.value;
    if (!severity) return;
    const order = this.config.severities;
    const current = this.store.incident.severity;
    const lowering = current && order.indexOf(severity) > order.indexOf(current);
    const change = { severity };
    if (lowering && !this.store.iAmCommander()) {
      // The IC's call; anyone else says why, and the timeline keeps it.
      const reason = window.prompt(`Why lower ${current} to ${severity}? The timeline keeps your reason.`)?.trim();
      if (!reason) {
        this.severity.value = current;
        return;
      }
      change.reason = reason;
    }
    await this.send("incident.update", change, "Severity not changed");
  }

  async changeStatus() {
    await this.send("incident.update", { status: this.status.value }, "Status not changed");
  }
}
