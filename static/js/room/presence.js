// Who is in the room right now (live, not persisted).
import { el, nameOf, replaceChildren } from "../dom.js";

export class PresenceList {
  constructor(list, { store }) {
    this.list = list;
    this.store = store;
    store.subscribe((changed) => {
      if (changed.parts.has("presence")) this.render();
    });
  }

  render() {
    const me = this.store.me.id;
    replaceChildren(this.list, this.store.presence.users.map((user) =>
      el("li", { class: "person" }, el("span", { class: "dot", "aria-hidden": "true" }),
        nameOf(user), user.id === me ? " (you)" : "")));
  }
}
