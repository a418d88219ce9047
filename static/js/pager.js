// Pages to the signed-in person, in every tab they have open (the server's per-person pager
// room): a banner at the top of any page with the incident, one click to acknowledge (or to
// acknowledge and take Incident Commander, which opens the room), a Web Notification where
// allowed and a tone if sound is on. An ack anywhere clears the banner in every tab.
// Post-mortem milestones that fall due are told to their owner here too, as a notice.
import { io } from "../vendor/socket.io-client/socket.io.esm.min.js";
import { beep, notifyDesktop } from "./alerting.js";
import { el, replaceChildren } from "./dom.js";
import { formatLocalTime, formatUtc } from "./time.js";

const banner = document.getElementById("pager");
const reminders = document.getElementById("reminders");
const baseTitle = document.title;
const waiting = new Map(); // page id -> page, while triggered
const socket = io({ transports: ["websocket"] });

socket.on("pages", ({ pages }) => {
  waiting.clear();
  for (const page of pages) waiting.set(page.id, page);
  render();
});

socket.on("page", (page) => {
  const fresh = page.status === "triggered" && !waiting.has(page.id);
  if (page.status === "triggered") waiting.set(page.id, page);
  else waiting.delete(page.id);
  render();
  if (fresh) {
    notifyDesktop(`Paged: ${page.reference} ${page.severity || ""}`.trim(), page.title, `page-${page.id}`);
    beep(3);
  }
});

function acknowledge(page, takeCommand) {
  const payload = { page_id: page.id, op_id: crypto.randomUUID(), take_command: takeCommand };
  socket.emit("page.ack", payload, (ack) => {
    if (!ack.ok) {
      showRefusal(page, ack.error.message);
      return;
    }
    waiting.delete(page.id);
    render();
    if (takeCommand) location.assign(`/incidents/${page.incident_id}`);
  });
}

function showRefusal(page, message) {
  const row = banner.querySelector(`[data-page="${page.id}"]`);
  if (row) row.append(el("p", { class: "form-error", role: "alert" }, message));
}

function pageRow(page) {
  const opened = new Date(page.opened_at);
  return el("div", { class: "pager-page", dataset: { page: page.id } },
    el("p", {},
      el("strong", {}, "Paged: "),
      el("span", { class: `sev sev-${(page.severity || "none").toLowerCase()}` }, page.severity || "Unclassified"), " ",
      el("a", { href: `/incidents/${page.incident_id}` }, `${page.reference} ${page.title}`),
      ` · ${page.service} · since `,
      el("time", { dateTime: page.opened_at, title: formatUtc(opened) }, formatLocalTime(opened)),
      ` (${formatUtc(opened)})`),
    el("div", { class: "row" },
      el("button", { type: "button", class: "primary", onclick: () => acknowledge(page, false) }, "Acknowledge"),
      el("button", { type: "button", onclick: () => acknowledge(page, true) },
        "Acknowledge and take Incident Commander")));
}

function render() {
  const pages = [...waiting.values()];
  banner.hidden = pages.length === 0;
  replaceChildren(banner, pages.map(pageRow));
  document.title = pages.length ? `(PAGED) ${baseTitle}` : baseTitle;
}

socket.on("milestone_due", (reminder) => {
  const due = new Date(reminder.milestone.due_at);
  reminders.hidden = false;
  reminders.append(el("p", { class: "reminder" },
    el("strong", {}, "Due: "), `${reminder.milestone.label} · `,
    el("a", { href: `/incidents/${reminder.incident_id}/postmortem` }, `${reminder.reference} post-mortem`),
    ` · was due ${formatUtc(due)}`));
  notifyDesktop(`Due: ${reminder.milestone.label}`, `${reminder.reference} post-mortem`, `milestone-${reminder.incident_id}-${reminder.milestone.key}`);
});
