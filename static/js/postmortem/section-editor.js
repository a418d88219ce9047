// One section the team writes, co-edited live. The text saves when the writer pauses, leaves
// the box or presses Save; it is sent with the version it started from, so the server
// merges it with what others wrote meanwhile, or refuses an overlap as a conflict - then
// the section shows their text and ours is given back, plainly, to copy in again.
import { el, nameOf, replaceChildren } from "../dom.js";
import { timeElement } from "../time.js";
import { suggestionList } from "./flags.js";

const SAVE_AFTER_PAUSE_MS = 1500;

export class SectionEditor {
  constructor(section, { store, connection, notices, compact = false }) {
    this.key = section.key;
    this.store = store;
    this.connection = connection;
    this.notices = notices;
    this.base = section; // the server's version our text started from
    this.saving = false;
    this.timer = null;
    const id = `section-${section.key}`;
    this.textarea = el("textarea", {
      id: `${id}-text`, rows: compact ? 2 : 4, placeholder: section.prompt,
      "aria-describedby": `${id}-about`,
      oninput: () => this.typed(), onblur: () => this.save(),
      onkeydown: (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) this.save();
      },
    });
    this.textarea.value = section.text;
    this.state = el("span", { class: "pm-save-state", "aria-live": "polite" });
    this.about = el("p", { class: "pm-about", id: `${id}-about` });
    this.message = el("div", { class: "pm-section-message" });
    this.suggestions = el("div", { class: "pm-section-flags" });
    this.saveButton = el("button", { type: "button", onclick: () => this.save() }, "Save");
    const heading = compact
      ? el("p", { class: "pm-why-head" }, el("label", { for: this.textarea.id, class: "pm-why-label" }, section.label),
        el("span", { class: "hint" }, ` ${section.prompt}`))
      : el("h2", {}, el("label", { for: this.textarea.id }, section.label));
    this.node = el(compact ? "li" : "section", {
      class: compact ? "pm-section pm-why" : "pm-section card", id, dataset: { key: section.key },
    },
    heading, compact ? null : el("p", { class: "hint" }, section.prompt),
    this.textarea,
    el("div", { class: "pm-section-foot" }, this.saveButton, this.state, this.about),
    this.message, this.suggestions);
    this.render();
  }

  get dirty() {
    return this.textarea.value !== this.base.text;
  }

  typed() {
    this.state.textContent = "Not saved yet";
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), SAVE_AFTER_PAUSE_MS);
  }

  async save() {
    clearTimeout(this.timer);
    if (this.saving || !this.dirty || this.store.frozen) return;
    this.saving = true;
    this.state.textContent = "Saving…";
    const sent = this.textarea.value;
    const ack = await this.connection.change("postmortem.edit_section", {
      section: this.key, base_version: this.base.version, text: sent,
    });
    this.saving = false;
    if (ack.ok) {
      this.saved(ack, sent);
    } else if (ack.error.code === "conflict" && ack.error.current) {
      this.conflicted(ack.error, sent);
    } else {
      this.state.textContent = "Not saved";
      this.notices.refused(`${this.base.label} was not saved`, ack.error);
    }
  }

  saved(ack, sent) {
    const typedMeanwhile = this.textarea.value !== sent;
    // After a merge the server's text is not what we sent; if we typed on meanwhile, the
    // next save goes from the old base, so the server merges our new words onto it too.
    if (!typedMeanwhile || !ack.merged) this.base = ack.section;
    if (!typedMeanwhile) this.textarea.value = ack.section.text;
    this.store.acceptSection(ack.section, ack.blameless);
    this.state.textContent = ack.merged ? "Saved, merged with changes made meanwhile" : "Saved";
    replaceChildren(this.message);
    this.render();
    if (this.dirty) this.typed();
  }

  conflicted(error, sent) {
    this.base = error.current;
    this.store.acceptSection(error.current);
    this.textarea.value = error.current.text;
    this.state.textContent = "Not saved: conflict";
    const yours = el("textarea", { readonly: true, rows: 3, class: "pm-yours", "aria-label": "Your text, not saved" });
    yours.value = sent;
    const by = nameOf(error.current.updated_by, "someone");
    replaceChildren(this.message, el("div", { class: "pm-conflict", role: "alert" },
      el("p", {}, `${by} changed the same words meanwhile, so your change was not saved. `
        + "Their text is in the box now; yours is below, nothing is lost: copy back what you need."),
      yours,
      el("button", { type: "button", class: "link-button", onclick: () => replaceChildren(this.message) }, "Done")));
    this.render();
  }

  /** The server's current section (someone else's change, or a reload). */
  update(actor) {
    const section = this.store.sections.get(this.key);
    if (!section || section.version === this.base.version) {
      this.render();
      return;
    }
    if (!this.dirty && !this.saving) {
      this.base = section;
      this.textarea.value = section.text;
      if (actor) this.flash(`${nameOf(actor)} just changed this section.`);
    } else if (actor) {
      this.flash(`${nameOf(actor)} changed this section while you were writing; `
        + "saving merges your words with theirs.");
    }
    this.render();
  }

  flash(text) {
    replaceChildren(this.message, el("p", { class: "pm-remote" }, text));
  }

  render() {
    const section = this.store.sections.get(this.key) || this.base;
    const frozen = this.store.frozen;
    this.textarea.readOnly = frozen;
    this.saveButton.hidden = frozen;
    const authors = section.authors.map((author) => nameOf(author)).join(", ");
    replaceChildren(this.about,
      authors ? `Written by ${authors}` : "Not written yet",
      section.updated_at ? [" · last change ", timeElement(section.updated_at), ` by ${nameOf(section.updated_by)}`] : null);
    replaceChildren(this.suggestions, suggestionList(this.store.flagsFor(`section:${this.key}`)));
  }
}
