// The observer page: a read-only, live view of one incident through an observer link.
// It renders what the server projects for observers (never HTML from users: textContent
// only), applies `observer.event`s newer than the state it holds, and says plainly when
// the link is revoked or expires.
import { io } from "../../vendor/socket.io-client/socket.io.esm.min.js";
import { el } from "../dom.js";
import { timeElement } from "../time.js";

const root = document.getElementById("observer");
const list = root.querySelector("[data-entries]");
const empty = root.querySelector("[data-empty]");
const connection = root.querySelector("[data-connection]");
const ended = root.querySelector("[data-ended]");

const KIND_LABELS = { update: "Update", decision: "Decision", action: "Action",
  hypothesis: "Hypothesis", status: "Status", escalation: "Escalation", all_clear: "All clear" };
const AUDIENCE_LABELS = { stakeholders: "Stakeholder update", status_page: "Status page update" };

const entries = new Map();
let seq = null; // the state's seq once loaded; events at or below it are already in
let pending = []; // events that arrived before the state

function showIncident(incident) {
  for (const name of ["title", "severity", "status"]) {
    const node = root.querySelector(`[data-field="${name}"]`);
    node.textContent = incident[name] ?? "Unclassified";
  }
  const sev = root.querySelector('[data-field="severity"]');
  sev.className = `sev sev-${(incident.severity || "none").toLowerCase()}`;
  root.querySelector('[data-field="status"]').className = `status status-${incident.status}`;
  document.title = `${incident.reference} ${incident.title} · Observer · Incident Room`;
}

function entryItem(entry) {
  const label = AUDIENCE_LABELS[entry.audience] || KIND_LABELS[entry.kind] || entry.kind;
  return el("li", { class: `observer-entry kind-${entry.kind}`, dataset: { entryId: entry.id } },
    timeElement(entry.occurred_at), " ", el("span", { class: "kind" }, label), el("p", {}, entry.text));
}

function renderEntries() {
  const newestFirst = [...entries.values()].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at));
  list.replaceChildren(...newestFirst.map(entryItem));
  empty.hidden = entries.size > 0;
}

function apply(event) {
  if (event.seq <= seq) return;
  if (event.type === "incident") showIncident(event.incident);
  if (event.type === "entry") entries.set(event.entry.id, event.entry);
  if (event.type === "entry_removed") entries.delete(event.entry_id);
  renderEntries();
}

function end(message) {
  ended.textContent = message;
  ended.hidden = false;
  connection.textContent = "Not updating";
  root.classList.add("ended");
}

const socket = io({ auth: { observer_token: root.dataset.token }, transports: ["websocket"] });

socket.on("connect", () => {
  connection.textContent = "Live";
  seq = null;
  socket.emit("observe.state", {}, (state) => {
    if (!state.ok) return end(state.error.message);
    showIncident(state.incident);
    entries.clear();
    for (const entry of state.entries) entries.set(entry.id, entry);
    seq = state.seq;
    renderEntries();
    for (const event of pending) apply(event);
    pending = [];
  });
});
socket.on("observer.event", (event) => (seq === null ? pending.push(event) : apply(event)));
socket.on("observer.revoked", ({ message }) => end(message));
socket.on("observer.expired", ({ message }) => end(message));
socket.on("connect_error", (error) => {
  if (error.data?.message) end(error.data.message);
  else connection.textContent = "Reconnecting…";
});
socket.on("disconnect", (reason) => {
  if (reason !== "io server disconnect") connection.textContent = "Reconnecting…";
});
