// The room's runbook pane: each runbook brought in (by its alert or attached here), its
// steps ticked in place (they are checklist items: the same tick, seen by everyone), the
// full text folded under them, and a search to attach another.
import { el, nameOf, replaceChildren } from "../dom.js";

const BROUGHT = { alert: "came with the alert", room: "attached in the room" };

export class RunbookPane {
  constructor(section, { store, send, connection, notices }) {
    this.store = store;
    this.send = send;
    this.connection = connection;
    this.notices = notices;
    this.list = section.querySelector("#runbooks");
    this.empty = section.querySelector("[data-no-runbook]");
    this.matches = section.querySelector("#runbook-matches");
    this.words = section.querySelector("#runbook-words");
    this.shown = new Map(); // runbook id -> its steps list (the rest is drawn once)
    section.querySelector("#runbook-search").addEventListener("submit", (event) => {
      event.preventDefault();
      this.search();
    });
    store.subscribe((changed) => {
      if (changed.parts.has("runbooks") || changed.parts.has("checklist")) this.render();
    });
  }

  render() {
    for (const runbook of this.store.runbooks) {
      if (!this.shown.has(runbook.id)) this.list.append(this.article(runbook));
      const items = new Map(this.store.checklist.map((item) => [item.id, item]));
      replaceChildren(this.shown.get(runbook.id),
        runbook.steps.map((step) => this.stepRow(step, items.get(step.item_id))));
    }
    this.empty.hidden = this.store.runbooks.length > 0;
  }

  article(runbook) {
    const steps = el("ul", { class: "runbook-steps checklist" });
    const text = el("div", { class: "runbook-body markdown" });
    text.innerHTML = runbook.html; // sanitised by the server (nh3), never the raw Markdown
    this.shown.set(runbook.id, steps);
    return el("article", { class: "runbook-in-room", dataset: { runbookId: runbook.id } },
      el("h3", {}, el("a", { href: runbook.url }, runbook.title)),
      el("p", { class: "hint" }, `Version ${runbook.version}, ${BROUGHT[runbook.via] || ""}`),
      steps,
      this.contacts(runbook),
      el("details", {}, el("summary", {}, "The whole runbook"), text));
  }

  /** The Escalation section's contacts, each one click from a page. */
  contacts(runbook) {
    if (!runbook.contacts?.length) return null;
    return el("p", { class: "runbook-contacts" }, "Escalate: ",
      ...runbook.contacts.map((person) => el("button", {
        type: "button",
        onclick: () => this.send("page.person", { user: person.username }, `${person.display_name} not paged`),
      }, `Page ${person.display_name}`)));
  }

  stepRow(step, item) {
    const id = `runbook-step-${step.item_id}`;
    const done = Boolean(item?.done);
    const box = el("input", {
      type: "checkbox", id, checked: done, disabled: !item,
      onchange: () => this.send("checklist.toggle", { item_id: step.item_id, done: box.checked },
        "Step not updated"),
    });
    const who = done && item.done_by ? el("span", { class: "done-by" }, nameOf(item.done_by)) : null;
    return el("li", { class: done ? "check-item done" : "check-item", dataset: { itemId: step.item_id } },
      box, el("label", { for: id }, item ? item.text : step.text), who);
  }

  async search() {
    const ack = await this.connection.ask("runbook.search", { q: this.words.value });
    if (!ack.ok) {
      this.notices.refused("Could not search runbooks", ack.error);
      return;
    }
    const held = new Set(this.store.runbooks.map((runbook) => runbook.id));
    const rows = ack.runbooks.map((match) => el("li", {},
      `${match.title} `,
      held.has(match.id) ? el("span", { class: "hint" }, "in the room")
        : el("button", { type: "button", "aria-label": `Attach ${match.title}`, onclick: () => this.attach(match) },
          "Attach")));
    replaceChildren(this.matches, rows.length ? rows : [el("li", { class: "hint" }, "No runbook matches.")]);
  }

  async attach(match) {
    const ack = await this.send("runbook.attach", { runbook_id: match.id }, "Runbook not attached");
    if (ack.ok) replaceChildren(this.matches);
  }
}
