// Who may see a private incident: the declarer and the IC always, and the people invited.
// The declarer and the IC invite and remove people (member.invite / member.remove); every
// change reaches everyone in the room through the member.* events.
import { el, nameOf, replaceChildren } from "../dom.js";

export class MembersPanel {
  constructor(section, { store, send, notices }) {
    this.section = section;
    this.notices = notices;
    this.store = store;
    this.send = send;
    this.list = section.querySelector("#members");
    this.form = section.querySelector("#member-invite");
    this.input = this.form.querySelector("input");
    this.error = section.querySelector('[data-field="member-error"]');
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.invite();
    });
    store.subscribe((changed) => {
      if (["incident", "roles", "members"].some((part) => changed.parts.has(part))) this.render();
    });
  }

  iMayManage() {
    return this.store.incident.declared_by?.id === this.store.me.id || this.store.iAmCommander();
  }

  render() {
    const incident = this.store.incident;
    this.section.hidden = !incident?.private;
    if (this.section.hidden) return;
    this.noticeRemoval();
    const manage = this.iMayManage();
    const declarer = incident.declared_by;
    const commander = this.store.holderOf("incident_commander");
    const always = [[declarer, "declared it"]];
    if (commander && commander.id !== declarer?.id) always.push([commander, "Incident Commander"]);
    const alwaysIds = new Set(always.map(([user]) => user?.id));
    replaceChildren(this.list,
      always.map(([user, why]) => el("li", { class: "person" }, nameOf(user), el("span", { class: "hint" }, ` (${why})`))),
      this.store.members.filter((user) => !alwaysIds.has(user.id)).map((user) => el("li", { class: "person" },
        nameOf(user), manage ? el("button", {
          type: "button", class: "link-button", "aria-label": `Remove ${nameOf(user)}`,
          onclick: () => this.remove(user),
        }, "Remove") : null)));
    this.form.hidden = !manage;
  }

  // The server closes a removed member's connection; say why before the room goes quiet.
  noticeRemoval() {
    const member = this.store.members.some((user) => user.id === this.store.me.id);
    if (this.wasMember && !member && !this.iMayManage()) {
      this.notices.show("error", "You were removed from this private incident: it is closed to you now.");
    }
    this.wasMember = member;
  }

  async invite() {
    const username = this.input.value.trim();
    if (!username) return;
    this.error.textContent = "";
    const ack = await this.send("member.invite", { user: username }, "Not invited");
    if (ack.ok) this.input.value = "";
    else this.error.textContent = `Not invited: ${ack.error.message || ack.error.code}`;
  }

  async remove(user) {
    this.error.textContent = "";
    const ack = await this.send("member.remove", { user: user.username }, `${nameOf(user)} not removed`);
    if (!ack.ok) this.error.textContent = `Not removed: ${ack.error.message || ack.error.code}`;
  }
}
