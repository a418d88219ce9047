// The fields of structured entries (decision, hypothesis, action, update; see
// incident_room/services/entry_details.py): a form part to edit them and a short summary
// to read them.
import { el, nameOf } from "../dom.js";
import { fromLocalInputValue, timeElement, toLocalInputValue } from "../time.js";

const LABELS = {
  open: "Open", confirmed: "Confirmed", ruled_out: "Ruled out",
  todo: "To do", doing: "Doing", done: "Done",
  stakeholders: "Stakeholders", status_page: "Status page",
};

export const KIND_LABELS = {
  note: "Note", action: "Action", decision: "Decision", hypothesis: "Hypothesis",
  update: "Update", status: "Status", role: "Role", escalation: "Escalation", all_clear: "All-clear",
};

function field(id, label, control) {
  return el("div", { class: "field" }, el("label", { for: id }, label), control);
}

function choiceSelect(id, choices, value) {
  return el("select", { id }, choices.map((choice) =>
    el("option", { value: choice, selected: choice === value }, LABELS[choice] || choice)));
}

function personSelect(id, participants, value) {
  return el("select", { id }, el("option", { value: "" }, "— nobody yet —"),
    participants.map((user) =>
      el("option", { value: user.username, selected: value?.id === user.id }, nameOf(user))));
}

/**
 * Form controls for `kind`'s fields, filled from `details`; `read()` returns only the
 * fields that differ from `details` (all of them when `details` is empty), as the server
 * takes them (people by username, times as ISO).
 */
export function detailsForm(kind, details, { choices, participants, idPrefix }) {
  const id = (name) => `${idPrefix}-${name}`;
  const controls = {};
  const parts = [];
  const add = (name, label, control) => {
    controls[name] = control;
    parts.push(field(id(name), label, control));
  };
  if (kind === "decision") {
    add("rationale", "Rationale", el("textarea", { id: id("rationale"), rows: 2, maxlength: 2000, value: details.rationale || "" }));
    add("alternatives", "Alternatives considered", el("textarea", { id: id("alternatives"), rows: 2, maxlength: 2000, value: details.alternatives || "" }));
    add("decided_by", "Decided by", personSelect(id("decided_by"), participants, details.decided_by));
  } else if (kind === "hypothesis") {
    add("status", "Hypothesis status", choiceSelect(id("status"), choices.hypothesis, details.status || "open"));
  } else if (kind === "action") {
    add("owner", "Owner", personSelect(id("owner"), participants, details.owner));
    add("status", "Action status", choiceSelect(id("status"), choices.action, details.status || "todo"));
    add("eta", "Due by", el("input", {
      type: "datetime-local", id: id("eta"), value: details.eta ? toLocalInputValue(new Date(details.eta)) : "",
    }));
  } else if (kind === "update") {
    add("audience", "Audience", choiceSelect(id("audience"), choices.update, details.audience || "stakeholders"));
  }
  const node = el("div", { class: "details-fields" }, parts);
  const current = (name) => {
    const value = controls[name].value;
    if (name === "decided_by" || name === "owner") return value || null;
    if (name === "eta") return value ? fromLocalInputValue(value).toISOString() : null;
    return value;
  };
  const held = (name) => {
    const value = details[name];
    if (name === "decided_by" || name === "owner") return value?.username || null;
    if (name === "eta") return value ? new Date(value).toISOString() : null;
    return value ?? (name === "rationale" || name === "alternatives" ? "" : null);
  };
  const read = () => {
    const changed = {};
    for (const name of Object.keys(controls)) {
      const value = current(name);
      if (value !== held(name)) changed[name] = value;
    }
    return changed;
  };
  return { node, read };
}

// A one-line reading of an entry's fields, or null for a note.
export function detailsSummary(entry) {
  const d = entry.details || {};
  const bits = [];
  const bit = (label, ...value) => bits.push(el("span", { class: "detail" }, el("span", { class: "detail-label" }, `${label}: `), ...value));
  if (entry.kind === "decision") {
    if (d.rationale) bit("Rationale", d.rationale);
    if (d.alternatives) bit("Alternatives", d.alternatives);
    if (d.decided_by) bit("Decided by", nameOf(d.decided_by));
  } else if (entry.kind === "hypothesis") {
    bit("Status", el("span", { class: `state state-${d.status}` }, LABELS[d.status] || d.status));
  } else if (entry.kind === "action") {
    bit("Owner", nameOf(d.owner, "unassigned"));
    bit("Status", el("span", { class: `state state-${d.status}` }, LABELS[d.status] || d.status));
    if (d.eta) bit("Due", timeElement(d.eta));
  } else if (entry.kind === "update") {
    bit("Audience", LABELS[d.audience] || d.audience);
  }
  return bits.length ? el("p", { class: "entry-details" }, bits) : null;
}

export function stateLabel(value) {
  return LABELS[value] || value;
}
