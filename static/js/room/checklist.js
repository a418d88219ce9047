// The response checklist: tick and un-tick (who and when shown), and the team's own items.
import { el, nameOf, replaceChildren } from "../dom.js";
import { timeElement } from "../time.js";

export class ChecklistPanel {
  constructor(list, form, { store, send }) {
    this.list = list;
    this.store = store;
    this.send = send;
    this.input = form.querySelector("input");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
    store.subscribe((changed) => {
      if (changed.parts.has("checklist")) this.render();
    });
  }

  render() {
    const items = [...this.store.checklist].sort((a, b) => a.position - b.position);
    replaceChildren(this.list, items.map((item) => this.itemRow(item)));
  }

  itemRow(item) {
    const id = `check-${item.id}`;
    const box = el("input", {
      type: "checkbox", id, checked: item.done,
      onchange: () => this.send("checklist.toggle", { item_id: item.id, done: box.checked },
        "Checklist not updated"),
    });
    const who = item.done && item.done_by
      ? el("span", { class: "done-by" }, `${nameOf(item.done_by)}, `, timeElement(item.done_at, { short: true }))
      : null;
    return el("li", { class: item.done ? "check-item done" : "check-item", dataset: { itemId: item.id } },
      box, el("label", { for: id }, item.text, item.custom ? el("span", { class: "badge" }, "team") : null), who);
  }

  async add() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    const ack = await this.send("checklist.add", { text }, "Item not added");
    if (!ack.ok) this.input.value = text;
  }
}
