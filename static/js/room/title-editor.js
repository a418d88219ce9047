// Editing the incident's title and summary in place, from the room's header: Enter in the
// title saves, Esc cancels, a refusal keeps the form open with the reason next to it.
import { el } from "../dom.js";

export class TitleEditor {
  constructor(root, { store, send }) {
    this.store = store;
    this.send = send;
    this.titleRow = root.querySelector(".room-title-row");
    this.heading = root.querySelector("#room-title");
    this.summaryText = root.querySelector('[data-field="summary"]');
    this.button = root.querySelector("#edit-title");
    this.button.addEventListener("click", () => this.open());
    this.form = null;
  }

  open() {
    if (this.form) return this.titleInput.focus();
    const incident = this.store.incident;
    if (!incident) return; // the room's state has not arrived yet
    this.titleInput = el("input", {
      id: "title-edit", maxlength: 200, required: true, value: incident.title,
      onkeydown: (event) => {
        if (event.key === "Enter" && !event.isComposing) {
          event.preventDefault();
          this.save();
        }
      },
    });
    this.summaryInput = el("textarea", {
      id: "summary-edit", rows: 3, maxlength: 5000, value: incident.summary || "",
    });
    this.error = el("p", { class: "form-error", role: "alert" });
    this.form = el("form", {
      class: "title-editor", "aria-label": "Edit title and summary",
      onsubmit: (event) => { event.preventDefault(); this.save(); },
      onkeydown: (event) => { if (event.key === "Escape") this.close(); },
    },
    el("label", { for: "title-edit" }, "Title ", el("span", { class: "hint" }, "Enter saves, Esc cancels")),
    this.titleInput,
    el("label", { for: "summary-edit" }, "Summary (the impact, in a sentence or two)"),
    this.summaryInput, this.error,
    el("div", { class: "editor-actions" },
      el("button", { type: "submit", class: "primary" }, "Save title and summary"),
      el("button", { type: "button", onclick: () => this.close() }, "Cancel")));
    this.heading.hidden = true;
    this.summaryText.hidden = true;
    this.button.hidden = true;
    this.titleRow.after(this.form);
    this.titleInput.focus();
  }

  async save() {
    const incident = this.store.incident;
    const changes = {};
    const title = this.titleInput.value.trim();
    const summary = this.summaryInput.value.trim();
    if (!title) {
      this.error.textContent = "The title cannot be empty.";
      return this.titleInput.focus();
    }
    if (title !== incident.title) changes.title = title;
    if (summary !== (incident.summary || "")) changes.summary = summary;
    if (Object.keys(changes).length === 0) return this.close();
    this.error.textContent = "";
    const ack = await this.send("incident.update", changes, "Title and summary not saved");
    if (ack.ok) this.close();
    else this.error.textContent = `Not saved: ${ack.error.message || ack.error.code}`;
  }

  close() {
    if (!this.form) return;
    this.form.remove();
    this.form = null;
    this.heading.hidden = false;
    this.summaryText.hidden = !this.store.incident.summary;
    this.button.hidden = false;
    this.button.focus();
  }
}
