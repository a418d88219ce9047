// Writing to the scribe log in one keystroke: Enter posts (Shift+Enter is a new line).
// The entry shows at once as "sending…" and is queued while offline (post-entry.js).
import { el, replaceChildren } from "../dom.js";
import { fromLocalInputValue } from "../time.js";
import { KIND_LABELS, detailsForm } from "./entry-details.js";
import { postEntry } from "./post-entry.js";

export class Composer {
  constructor(form, { store, config, connection, notices, clock }) {
    this.form = form;
    this.store = store;
    this.config = config;
    this.connection = connection;
    this.notices = notices;
    this.clock = clock;
    this.kind = form.querySelector("#composer-kind");
    this.when = form.querySelector("#composer-when");
    this.text = form.querySelector("#composer-text");
    this.detailsSlot = form.querySelector("#composer-details");
    replaceChildren(this.kind, config.writable_kinds.map((kind) => el("option", { value: kind }, KIND_LABELS[kind])));
    this.kind.addEventListener("change", () => this.renderDetails());
    this.text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.post();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.post();
    });
    store.subscribe((changed) => {
      if (changed.parts.has("participants")) this.renderDetails();
    });
    this.renderDetails();
  }

  renderDetails() {
    this.details = detailsForm(this.kind.value, {}, {
      choices: this.config.choices, participants: this.store.participants, idPrefix: "composer",
    });
    replaceChildren(this.detailsSlot, this.details.node);
  }

  async post() {
    const text = this.text.value.trim();
    if (!text) return;
    const fields = { kind: this.kind.value, text, details: this.details.read() };
    if (this.when.value) fields.occurred_at = fromLocalInputValue(this.when.value).toISOString();
    this.text.value = "";
    this.when.value = "";
    this.renderDetails();
    const ack = await postEntry(this, fields);
    if (!ack.ok) {
      if (!this.text.value) this.text.value = text;
      this.notices.refused("Entry not posted (your text is back in the box)", ack.error);
    }
  }
}
