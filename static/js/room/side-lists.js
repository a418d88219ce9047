// Open threads at a glance: hypotheses still open and actions not done, live.
import { el, nameOf, replaceChildren } from "../dom.js";
import { stateLabel } from "./entry-details.js";

export class OpenThreads {
  constructor(hypotheses, actions, { store }) {
    this.hypotheses = hypotheses;
    this.actions = actions;
    this.store = store;
    store.subscribe((changed) => {
      if (changed.parts.has("timeline")) this.render();
    });
  }

  render() {
    const live = this.store.orderedEntries().filter((entry) => !entry.deleted && !entry.pending);
    const open = live.filter((e) => e.kind === "hypothesis" && (e.details?.status || "open") === "open");
    const todo = live.filter((e) => e.kind === "action" && e.details?.status !== "done");
    fill(this.hypotheses, open, () => null, "No open hypotheses.");
    fill(this.actions, todo, (entry) =>
      ` — ${nameOf(entry.details?.owner, "unassigned")}, ${stateLabel(entry.details?.status || "todo")}`,
    "No open actions.");
  }
}

function fill(list, entries, describe, empty) {
  if (entries.length === 0) {
    replaceChildren(list, el("li", { class: "empty" }, empty));
    return;
  }
  replaceChildren(list, entries.map((entry) => el("li", { dataset: { entryId: entry.id } },
    el("a", { href: `#entry-${entry.id}` }, entry.text), describe(entry))));
}
