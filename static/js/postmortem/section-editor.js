// One section the team writes, co-edited live (static/js/live-text/): everyone with the
// post-mortem open types into one shared document and sees the others' carets. The server
// records the text as a revision when the typing settles; Save (or Ctrl+Enter) records it
// at once. The blameless suggestions come with each recorded revision.
import { el, nameOf, replaceChildren } from "../dom.js";
import { LiveText } from "../live-text/live-text.js";
import { timeElement } from "../time.js";
import { suggestionList } from "./flags.js";

const STATE_TEXT = {
  opening: "Connecting…",
  sending: "Saving…",
  offline: "Offline: your text is kept here and saved when the connection is back",
  "read-only": "",
};

export class SectionEditor {
  constructor(section, { store, connection, notices, compact = false }) {
    this.key = section.key;
    this.store = store;
    this.connection = connection;
    this.notices = notices;
    this.base = section;
    this.typed = false;
    const id = `section-${section.key}`;
    this.textarea = el("textarea", {
      id: `${id}-text`, rows: compact ? 2 : 4, placeholder: section.prompt,
      "aria-describedby": `${id}-about`,
      oninput: () => { this.typed = true; },
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
    // A published revision is frozen: nothing to join.
    if (!store.frozen) {
      this.live = new LiveText(this.textarea, {
        connection, doc: `section:${section.key}`, onState: (state) => this.liveState(state),
      });
    }
    this.render();
  }

  liveState(state) {
    // "Saved" once something typed here is on the server (stored durably: it survives a
    // restart), before the revision that records it.
    const text = state === "live" ? (this.typed ? "Saved" : "") : STATE_TEXT[state];
    if (text !== undefined && !this.committing) this.state.textContent = text;
  }

  /** Record the text as a revision now (the typing is saved already; this settles it). */
  async save() {
    if (!this.live || this.committing) return;
    this.committing = true;
    this.state.textContent = "Saving…";
    const ack = await this.live.commit();
    this.committing = false;
    if (ack.ok) {
      this.state.textContent = "Saved";
    } else {
      this.state.textContent = "Not saved";
      this.notices.refused(`${this.base.label} was not saved`, ack.error);
    }
  }

  /** The server's current section: a revision recorded (ours, others', or an edit elsewhere). */
  update(actor, live) {
    const section = this.store.sections.get(this.key);
    if (section && section.version !== this.base.version) {
      this.base = section;
      this.live?.sawVersion(section.version, live);
      // Live typing was seen as it happened; an edit made elsewhere is worth a word.
      if (actor && !live) replaceChildren(this.message, el("p", { class: "pm-remote" }, `${nameOf(actor)} just changed this section.`));
    }
    this.render();
  }

  render() {
    const section = this.store.sections.get(this.key) || this.base;
    const frozen = this.store.frozen;
    if (frozen && this.live) this.close();
    this.textarea.readOnly = frozen;
    this.saveButton.hidden = frozen;
    const authors = section.authors.map((author) => nameOf(author)).join(", ");
    replaceChildren(this.about,
      authors ? `Written by ${authors}` : "Not written yet",
      section.updated_at ? [" · last change ", timeElement(section.updated_at), ` by ${nameOf(section.updated_by)}`] : null);
    replaceChildren(this.suggestions, suggestionList(this.store.flagsFor(`section:${this.key}`)));
  }

  /** Leave the live document (a new revision rebuilds the page; publishing freezes it). */
  close() {
    const live = this.live;
    this.live = null;
    return live?.close();
  }
}
