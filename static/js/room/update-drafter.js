// Drafting the next stakeholder or status-page update without leaving the room: the server
// drafts it (`update.draft`) from what changed since the last one; the IC or the
// Communications Lead edits and posts it as an `update` entry, through the composer's path
// (op_id, offline queue), which restarts that audience's countdown. Everyone else may read
// and copy the draft. The page /incidents/<id>/updates/new remains the fallback.
import { el, replaceChildren } from "../dom.js";
import { formatLocalTime } from "../time.js";
import { stateLabel } from "./entry-details.js";
import { postEntry } from "./post-entry.js";

export class UpdateDrafter {
  constructor(root, { store, config, connection, clock, notices }) {
    this.store = store;
    this.connection = connection;
    this.clock = clock;
    this.notices = notices;
    this.opener = root.querySelector("#draft-update");
    this.dialog = root.querySelector("#update-dialog");
    this.audience = this.dialog.querySelector("#update-audience");
    this.text = this.dialog.querySelector("#update-text");
    this.window = this.dialog.querySelector('[data-field="draft-window"]');
    this.readonlyNote = this.dialog.querySelector('[data-field="draft-readonly"]');
    this.error = this.dialog.querySelector('[data-field="draft-error"]');
    this.postButton = this.dialog.querySelector("#update-post");
    replaceChildren(this.audience, config.choices.update.map((audience) =>
      el("option", { value: audience }, stateLabel(audience))));
    this.opener.addEventListener("click", () => this.open());
    this.audience.addEventListener("change", () => this.draft());
    this.dialog.querySelector("#update-redraft").addEventListener("click", () => this.draft());
    this.postButton.addEventListener("click", () => this.post());
    this.dialog.addEventListener("close", () => this.opener.focus());
    // The role may change hands while the dialog is open: follow it (the server checks too).
    store.subscribe((changed) => {
      if (changed.parts.has("roles") && this.dialog.open) this.allowPosting(store.iMayCommunicate());
    });
  }

  allowPosting(canPost) {
    this.text.readOnly = !canPost;
    this.readonlyNote.hidden = canPost;
    this.postButton.hidden = !canPost;
  }

  open() {
    this.dialog.showModal();
    this.draft();
  }

  /** An update that says nothing new goes only when asked twice (the server checks too). */
  askToConfirm(message) {
    this.confirming = true;
    this.error.textContent = `${message} Press "Post anyway" to send it.`;
    this.postButton.textContent = "Post anyway";
    this.postButton.focus();
  }

  async draft() {
    this.confirming = false;
    this.postButton.textContent = "Post update";
    this.error.textContent = "";
    this.text.value = "";
    this.window.textContent = "Drafting…";
    const asked = this.asked = (this.asked || 0) + 1;
    const ack = await this.connection.ask("update.draft", { audience: this.audience.value });
    if (asked !== this.asked) return; // a later draft (another audience) was asked for
    if (!ack.ok) {
      this.window.textContent = "";
      this.error.textContent = `No draft: ${ack.error.message || ack.error.code}`;
      return;
    }
    const { draft, can_post: canPost } = ack;
    this.news = draft.news;
    this.text.value = draft.text;
    this.allowPosting(canPost);
    const since = draft.since ? formatLocalTime(new Date(draft.since)) : "the declaration";
    this.window.textContent = `What changed since ${since} (the last update for this audience); `
      + `posting now makes the next one due at ${formatLocalTime(new Date(draft.next_update_due))}.`;
    this.text.focus();
    this.text.setSelectionRange(0, 0); // read from the top
    this.text.scrollTop = 0;
  }

  async post() {
    const text = this.text.value.trim();
    if (!text) {
      this.error.textContent = "The update is empty.";
      return;
    }
    const audience = this.audience.value;
    const label = stateLabel(audience);
    if (!this.news && !this.confirming) {
      this.askToConfirm(`Nothing new since the last ${label.toLowerCase()} update.`);
      return;
    }
    this.error.textContent = "";
    const posting = postEntry(this, {
      kind: "update", text, details: { audience }, confirm_nothing_new: this.confirming,
    });
    if (!this.connection.joined) {
      // Queued like any entry typed offline: it goes when the room is back.
      this.dialog.close();
      this.notices.show("info", `Offline: the ${label.toLowerCase()} update is queued and will be posted when the room is back.`);
      const ack = await posting;
      if (!ack.ok) this.notices.refused(`${label} update not posted`, ack.error);
      return;
    }
    this.postButton.disabled = true;
    const ack = await posting;
    this.postButton.disabled = false;
    if (!ack.ok && ack.error.field === "confirm_nothing_new") {
      this.askToConfirm(ack.error.message);
      return;
    }
    if (!ack.ok) {
      this.error.textContent = `Not posted: ${ack.error.message || ack.error.code}`;
      return;
    }
    this.dialog.close();
    this.notices.show("info", `${label} update posted.`);
  }
}
