// The post-mortem editing page: one connection to the incident, one store, and the views
// (status bar, sections, five whys, action items) redrawn from it.
import { IncidentConnection } from "../connection.js";
import { Notices } from "../room/notices.js";
import { ActionItems } from "./action-items.js";
import { wireFollowupForms } from "./followup.js";
import { SectionEditor } from "./section-editor.js";
import { StatusBar } from "./status.js";
import { PostmortemStore } from "./store.js";

const $ = (selector) => document.querySelector(selector);
const config = JSON.parse($("#postmortem-config").textContent);
const root = $("#postmortem");
const store = new PostmortemStore();
const notices = new Notices($("#notices"), $("#connection"));
const editors = new Map();
let waiting = null; // events that arrived while the post-mortem was being read

const connection = new IncidentConnection(config.incident_id, {
  state: () => load(),
  event(event) {
    if (event.data?.incident) showIncidentStatus(event.data.incident.status);
    if (waiting) waiting.push(event);
    else if (store.applyEvent(event) === "reload") load();
  },
  status(status) {
    notices.status(status);
    root.dataset.connection = status.state;
  },
  refused: (error) => notices.refused("Not connected to the incident", error),
  replayed(change, ack) {
    if (!ack.ok) notices.refused(`A change queued earlier (${change.name}) was refused`, ack.error);
    else load();
  },
});

const views = { store, connection, notices };
wireFollowupForms(connection, notices);
const statusBar = new StatusBar($("#pm-status"), { ...views, root, reload: () => load() });
const actionItems = new ActionItems($("#action-item-rows"), $("#action-item-add"), {
  ...views, states: config.action_item_states, moves: config.action_item_moves,
});

// Review and publishing move the incident on (postmortem, closed): keep the header true.
function showIncidentStatus(status) {
  const node = $("#pm-incident-status");
  node.textContent = config.status_labels[status] || status;
  node.className = `status status-${status}`;
}

/** Read the whole post-mortem (after joining, a new revision, or the all-clear). */
async function load() {
  waiting = waiting || [];
  // The join ack arrives before the connection counts as live: read on the next turn.
  await new Promise((resolve) => setTimeout(resolve));
  const ack = await connection.ask("postmortem.get", {});
  const held = waiting;
  waiting = null;
  root.removeAttribute("aria-busy");
  if (!ack.ok) {
    $("#pm-not-open").hidden = ack.error.code !== "not_found";
    if (ack.error.code !== "not_found") notices.refused("The post-mortem could not be read", ack.error);
    for (const event of held) if (store.applyEvent(event) === "reload") return load();
    return;
  }
  $("#pm-not-open").hidden = true;
  $("#pm-body").hidden = false;
  store.load(ack);
  for (const event of held) store.applyEvent(event);
}

function buildSections() {
  for (const editor of editors.values()) editor.close();
  editors.clear();
  for (const [group, keys] of Object.entries(config.groups)) {
    const container = $(`#group-${group}`);
    container.replaceChildren(...keys.filter((key) => store.sections.has(key)).map((key) => {
      const editor = new SectionEditor(store.sections.get(key), { ...views, compact: group === "five_whys" });
      editors.set(key, editor);
      return editor.node;
    }));
  }
}

store.subscribe((change) => {
  switch (change.what) {
    case "all":
      buildSections();
      actionItems.rebuild();
      statusBar.render();
      break;
    case "section":
      editors.get(change.key)?.update(change.actor, change.live);
      statusBar.render();
      break;
    case "items":
      actionItems.render();
      statusBar.render();
      break;
    case "status":
      for (const editor of editors.values()) editor.render();
      actionItems.rebuild();
      statusBar.render();
      break;
    case "participants":
      actionItems.rebuild();
      break;
    default:
      break;
  }
});

connection.start();
