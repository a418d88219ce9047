// The response checklist: tick and un-tick (who and when shown), the team's own items, and
// moving items up and down with buttons (so the order is changeable from a keyboard).
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

  ordered() {
    return [...this.store.checklist].sort((a, b) => a.position - b.position);
  }

  render() {
    const focused = this.list.contains(document.activeElement) ? document.activeElement : null;
    const items = this.ordered();
    replaceChildren(this.list, items.map((item, index) => this.itemRow(item, index, items.length)));
    if (focused) this.refocus(focused);
  }

  // A redraw replaces the row: focus the same control of the same item again, or its other
  // move button when this one is now disabled (the item reached the top or the bottom).
  refocus(focused) {
    const row = this.list.querySelector(`li[data-item-id="${focused.closest("li")?.dataset.itemId}"]`);
    if (!row) return;
    const same = row.querySelector(`[data-control="${focused.dataset.control}"]`);
    const target = same && !same.disabled ? same : row.querySelector(".move button:not(:disabled)");
    target?.focus();
  }

  itemRow(item, index, count) {
    const id = `check-${item.id}`;
    const box = el("input", {
      type: "checkbox", id, checked: item.done, dataset: { control: "toggle" },
      onchange: () => this.send("checklist.toggle", { item_id: item.id, done: box.checked },
        "Checklist not updated"),
    });
    const who = item.done && item.done_by
      ? el("span", { class: "done-by" }, `${nameOf(item.done_by)}, `, timeElement(item.done_at, { short: true }))
      : null;
    return el("li", { class: item.done ? "check-item done" : "check-item", dataset: { itemId: item.id } },
      box, el("label", { for: id }, item.text, this.badge(item)),
      el("span", { class: "move" },
        this.moveButton(item, index, -1, index === 0),
        this.moveButton(item, index, 1, index === count - 1)),
      who);
  }

  // A runbook's step says so; the team's own items say "team"; the playbook's say nothing.
  badge(item) {
    const step = this.store.runbooks.some((runbook) => runbook.steps.some((s) => s.item_id === item.id));
    if (step) return el("span", { class: "badge" }, "runbook");
    return item.custom ? el("span", { class: "badge" }, "team") : null;
  }

  moveButton(item, index, step, disabled) {
    const [arrow, words] = step < 0 ? ["↑", "Move up"] : ["↓", "Move down"];
    return el("button", {
      type: "button", class: "move-button", disabled, "aria-label": `${words}: ${item.text}`,
      title: words, dataset: { control: words }, onclick: () => this.move(index, step),
    }, arrow);
  }

  // Shown moved at once, so a second press right after moves on from the new order; put
  // back if the server refuses (and nothing newer has replaced the list meanwhile).
  async move(index, step) {
    const items = this.ordered();
    [items[index], items[index + step]] = [items[index + step], items[index]];
    const before = this.store.checklist;
    const moved = items.map((item, at) => ({ ...item, position: at + 1 }));
    this.store.acceptChecklist(moved);
    const ack = await this.send("checklist.reorder", { item_ids: items.map((item) => item.id) },
      "Checklist not reordered");
    if (!ack.ok && this.store.checklist === moved) this.store.acceptChecklist(before);
  }

  async add() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    const ack = await this.send("checklist.add", { text }, "Item not added");
    if (!ack.ok) this.input.value = text;
  }
}
