// The incident room page: one store fed by one connection, and the views around it.
import { IncidentConnection } from "../connection.js";
import { RunbookPane } from "../runbooks/room-pane.js";
import { ServerClock } from "../time.js";
import { AllClear } from "./all-clear.js";
import { ChecklistPanel } from "./checklist.js";
import { DeadlineAlerts } from "./deadline-alerts.js";
import { Composer } from "./composer.js";
import { Evidence } from "./evidence.js";
import { Header } from "./header.js";
import { MembersPanel } from "./members.js";
import { Notices } from "./notices.js";
import { PagesPanel } from "./pages.js";
import { ObserverLinksPanel } from "./observer-links.js";
import { PresenceList } from "./presence.js";
import { RolesPanel } from "./roles.js";
import { OpenThreads } from "./side-lists.js";
import { RoomStore } from "./store.js";
import { Timeline } from "./timeline.js";
import { TitleEditor } from "./title-editor.js";
import { UpdateDrafter } from "./update-drafter.js";

const $ = (selector) => document.querySelector(selector);
const config = JSON.parse($("#room-config").textContent);
const root = $("#room");
const store = new RoomStore(config.me);
const clock = new ServerClock();
const notices = new Notices($("#notices"), $("#connection"));
let timeline = null;
let arrived = false;

// What an accepted change's ack carries goes into the store at once, unless its event
// (and maybe later ones) already arrived: then the ack's copy may be older than the room.
function applyAck(ack) {
  if (connection.seq !== null && ack.seq <= connection.seq) return;
  if (ack.entry) store.acceptEntry(ack.entry);
  if (ack.roles) store.acceptRoles(ack.roles);
  if (ack.item) store.acceptChecklistItem(ack.item);
  if (ack.runbook) store.acceptRunbook(ack.runbook, ack.checklist);
  else if (ack.checklist) store.acceptChecklist(ack.checklist);
  if (ack.members) store.acceptMembers(ack.members);
  if (ack.incident) store.acceptIncident(ack.incident);
}

const connection = new IncidentConnection(config.incident_id, {
  state(state) {
    store.applyState(state);
    if (!arrived) showLinkedEntry();
    arrived = true;
  },
  event(event) {
    if (event.data?.entry) timeline.noteChange(event.data.entry.id, event);
    store.applyEvent(event);
  },
  presence: (presence) => store.applyPresence(presence),
  timers: (timers) => store.applyTimers(timers),
  status(status) {
    notices.status(status);
    root.dataset.connection = status.state;
  },
  refused: (error) => notices.refused("Not connected to the room", error),
  replayed(change, ack) {
    if (ack.ok) applyAck(ack);
    else notices.refused(`A change queued earlier (${change.name}) was refused`, ack.error);
  },
}, { clock });

// Send a change; on refusal say why and redraw, so controls show the real state again.
async function send(name, payload, failure) {
  const ack = await connection.change(name, payload);
  if (ack.ok) {
    applyAck(ack);
  } else {
    notices.refused(failure, ack.error);
    store.notify(["incident", "roles", "checklist"]);
  }
  return ack;
}

// The entry a link names (#entry-<id>): on arrival, and when the hash changes in place.
function showLinkedEntry() {
  const node = location.hash.startsWith("#entry-") && document.getElementById(location.hash.slice(1));
  if (!node) return;
  for (const held of document.querySelectorAll(".entry.linked")) held.classList.remove("linked");
  node.classList.add("linked");
  node.scrollIntoView({ block: "center" });
  node.focus();
}

const evidence = new Evidence(root, { store, config, notices });
timeline = new Timeline($("#timeline"), { store, config, connection, notices, evidence });
new Header(root, { store, config, clock, send });
new AllClear(root, { store, config, send });
new DeadlineAlerts(root, { store, clock, notices, reference: config.reference });
new TitleEditor(root, { store, send });
new UpdateDrafter(root, { store, config, connection, clock, notices });
new RolesPanel($("#roles"), { store, send });
new ChecklistPanel($("#checklist"), $("#checklist-add"), { store, send });
new RunbookPane($("#runbooks-section"), { store, send, connection, notices });
new MembersPanel($("#members-section"), { store, send, notices });
new PresenceList($("#presence"), { store });
new ObserverLinksPanel($("#observer-links"), { store, clock });
new PagesPanel($("#pages-section"), { store });
new OpenThreads($("#open-hypotheses"), $("#open-actions"), { store });
new Composer($("#composer"), { store, config, connection, notices, clock });
window.addEventListener("hashchange", () => arrived && showLinkedEntry());
connection.start();
