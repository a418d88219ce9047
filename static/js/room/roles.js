// Who holds each role, which required ones are unfilled and by when, and the buttons to
// claim, take over, hand over and release them.
import { el, nameOf, replaceChildren } from "../dom.js";
import { formatLocalTime, timeElement } from "../time.js";

export class RolesPanel {
  constructor(list, { store, send }) {
    this.list = list;
    this.store = store;
    this.send = send;
    store.subscribe((changed) => {
      if (["roles", "participants", "timers", "incident"].some((part) => changed.parts.has(part))) {
        this.render();
      }
    });
  }

  render() {
    replaceChildren(this.list, this.store.roles.map((role) => this.roleItem(role)));
  }

  roleItem(role) {
    const holder = role.holder;
    const deadline = (this.store.timers?.deadlines || []).find((d) => d.key === `role:${role.role}`);
    const status = holder
      ? el("span", { class: "holder" }, nameOf(holder), " since ", timeElement(role.since, { short: true }))
      : el("span", { class: role.required ? "unfilled required" : "unfilled" },
        role.required ? "Unfilled — required" : "Unfilled",
        deadline ? `, ${deadline.overdue ? "overdue since" : "assign by"} ${formatLocalTime(new Date(deadline.due_at))}` : "");
    return el("li", { class: "role", dataset: { role: role.role } },
      el("div", { class: "role-name" }, role.label), status,
      el("div", { class: "role-actions" }, this.actions(role)));
  }

  actions(role) {
    const me = this.store.me;
    const commander = this.store.iAmCommander();
    const mine = role.holder?.id === me.id;
    const buttons = [];
    const labelled = (text) => `${text} ${role.label}`;
    if (!role.holder) {
      buttons.push(this.button("Claim", labelled("Claim"), { role: role.role }, "Role not claimed"));
    } else if (!mine) {
      const takeover = !commander;
      buttons.push(this.button(commander ? "Take" : "Take over", labelled("Take over"),
        { role: role.role, takeover }, "Role not taken over",
        takeover ? `${nameOf(role.holder)} holds ${role.label}. Take it over?` : null));
    }
    if (role.holder && (mine || commander)) {
      buttons.push(el("button", {
        type: "button", "aria-label": labelled("Release"),
        onclick: () => this.send("role.release", { role: role.role }, "Role not released"),
      }, "Release"));
    }
    if (mine || commander) buttons.push(this.handOver(role));
    return buttons;
  }

  button(text, label, payload, failure, question = null) {
    return el("button", {
      type: "button", "aria-label": label,
      onclick: () => {
        if (question && !window.confirm(question)) return;
        this.send("role.claim", payload, failure);
      },
    }, text);
  }

  handOver(role) {
    const others = this.store.participants.filter((user) => user.id !== role.holder?.id);
    if (others.length === 0) return null;
    const id = `handover-${role.role}`;
    const verb = role.holder ? "Hand over" : "Assign";
    const select = el("select", { id },
      others.map((user) => el("option", { value: user.username }, nameOf(user))));
    return el("form", {
      class: "handover",
      onsubmit: (event) => {
        event.preventDefault();
        this.send("role.claim", { role: role.role, user: select.value }, "Role not handed over");
      },
    }, el("label", { for: id, class: "sr-only" }, `Hand ${role.label} to`), select,
    el("button", { type: "submit", "aria-label": `${verb} ${role.label}` }, verb));
  }
}
