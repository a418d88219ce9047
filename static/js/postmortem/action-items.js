// The action items table: each item co-edited field by field (owner, due date, tracker
// link, text), flagged plainly when it has no owner or no due date, and an add form.
import { el, nameOf, replaceChildren } from "../dom.js";
import { suggestionList } from "./flags.js";

function ownerOptions(participants, selected) {
  return [
    el("option", { value: "" }, "— nobody yet —"),
    ...participants.map((person) => el("option", {
      value: person.username, selected: selected?.id === person.id,
    }, nameOf(person))),
  ];
}

/** The item's state, and the states it may move to (the rest make no sense). */
function stateOptions(item, states, moves) {
  return [item.state, ...moves[item.state]].map((state) => el("option", {
    value: state, selected: state === item.state,
  }, states[state]));
}

export class ActionItems {
  constructor(tbody, form, { store, connection, notices, states, moves }) {
    this.tbody = tbody;
    this.form = form;
    this.states = states;
    this.moves = moves;
    this.store = store;
    this.connection = connection;
    this.notices = notices;
    this.rows = new Map();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
  }

  async add() {
    const fields = Object.fromEntries(new FormData(this.form));
    const payload = { text: fields.text.trim() };
    for (const name of ["owner", "due_on", "tracker_url"]) {
      if (fields[name]) payload[name] = fields[name];
    }
    const ack = await this.connection.change("postmortem.action_item.add", payload);
    if (!ack.ok) {
      this.notices.refused("The action item was not added", ack.error);
      return;
    }
    this.store.acceptItem(ack.action_item, ack.blameless);
    this.form.reset();
    this.form.elements.text.focus();
  }

  /** Send one field, from the version this row was showing (so the server merges it). */
  async edit(itemId, field, value) {
    const row = this.rows.get(itemId);
    const ack = await this.connection.change("postmortem.action_item.edit", {
      item_id: itemId, base_version: row.base.version, [field]: value,
    });
    if (ack.ok) {
      row.base = ack.action_item;
      this.store.acceptItem(ack.action_item, ack.blameless);
      return;
    }
    if (ack.error.current) this.store.acceptItem(ack.error.current);
    this.notices.refused("Your change to an action item was not saved", ack.error);
    this.render(true);
  }

  /** A state moves on after publishing too; won't do asks why (the review will). */
  async move(item, select) {
    const state = select.value;
    let reason = null;
    if (state === "wont_do") {
      reason = window.prompt(`Why won't "${item.text}" be done?`)?.trim();
      if (!reason) {
        select.value = item.state;
        return;
      }
    }
    const ack = await this.connection.change("postmortem.action_item.state", {
      item_id: item.id, base_version: this.rows.get(item.id).base.version, state, reason,
    });
    if (ack.ok) {
      this.rows.get(item.id).base = ack.action_item;
      this.store.acceptItem(ack.action_item, ack.blameless);
      return;
    }
    if (ack.error.current) this.store.acceptItem(ack.error.current);
    this.notices.refused("The action item's state was not changed", ack.error);
    this.render(true);
  }

  /** The team's tracker opens a ticket for the item (after publishing too). */
  async ticket(item) {
    const ack = await this.connection.change("postmortem.action_item.ticket", { item_id: item.id });
    if (ack.ok) this.store.acceptItem(ack.action_item, ack.blameless);
    else this.notices.refused("No ticket was opened", ack.error);
  }

  stateCell(item, label) {
    const select = el("select", {
      class: `state state-${item.state}`, "aria-label": label("State"),
      onchange: () => this.move(item, select),
    }, stateOptions(item, this.states, this.moves));
    const reason = item.state_reason ? el("div", { class: "hint" }, item.state_reason) : null;
    return el("td", {}, select, reason);
  }

  async remove(itemId) {
    const ack = await this.connection.change("postmortem.action_item.delete", {
      item_id: itemId, base_version: this.rows.get(itemId).base.version,
    });
    if (ack.ok) this.store.acceptItem(ack.action_item);
    else this.notices.refused("The action item was not removed", ack.error);
  }

  field(item, name, input) {
    input.addEventListener("change", () => {
      const value = name === "text" ? input.value.trim() : input.value;
      if (name === "text" && !value) {
        input.value = item.text;
        return;
      }
      this.edit(item.id, name, value || null);
    });
    return input;
  }

  row(item) {
    const frozen = this.store.frozen;
    const label = (what) => `${what} of action item ${item.position}`;
    const text = this.field(item, "text", el("input", {
      value: item.text, maxlength: 1000, readonly: frozen, "aria-label": label("Text"),
    }));
    const owner = this.field(item, "owner", el("select", { disabled: frozen, "aria-label": label("Owner") },
      ownerOptions(this.store.participants, item.owner)));
    const due = this.field(item, "due_on", el("input", {
      type: "date", value: item.due_on || "", readonly: frozen, "aria-label": label("Due date"),
    }));
    const tracker = this.field(item, "tracker_url", el("input", {
      type: "url", value: item.tracker_url || "", readonly: frozen, placeholder: "https://…",
      "aria-label": label("Tracker link"),
    }));
    const needs = item.flags.length
      ? el("ul", { class: "pm-needs" }, item.flags.map((flag) => el("li", {}, flag.message)))
      : el("span", { class: "pm-ready" }, "Owner and date set");
    return el("tr", {
      class: item.flags.length ? "flagged" : null, dataset: { id: item.id },
      onfocusout: () => setTimeout(() => this.render()),
    },
      el("td", {}, text, suggestionList(this.store.flagsFor(`action_item:${item.id}`))),
      el("td", {}, owner), el("td", {}, due),
      el("td", {}, tracker, item.tracker_url ? el("a", { href: item.tracker_url, rel: "noopener noreferrer", target: "_blank" }, "Open") : null,
        item.tracker_key ? null : el("button", {
          type: "button", class: "link-button", "aria-label": label("Open a ticket"), onclick: () => this.ticket(item),
        }, "Open a ticket")),
      this.stateCell(item, label),
      el("td", {}, needs),
      el("td", {}, frozen ? null : el("button", {
        type: "button", class: "link-button", "aria-label": label("Remove"), onclick: () => this.remove(item.id),
      }, "Remove")));
  }

  /** Redraw rows whose item changed; a row being typed in is left alone unless `force`. */
  render(force = false) {
    const items = this.store.orderedItems();
    const rows = items.map((item) => {
      const existing = this.rows.get(item.id);
      const keep = existing && !force && !this.stale && (existing.version === item.version
        || existing.node.contains(document.activeElement));
      if (keep) return existing.node;
      const node = this.row(item);
      this.rows.set(item.id, { node, version: item.version, base: item });
      return node;
    });
    this.stale = false;
    replaceChildren(this.tbody, rows.length ? rows : el("tr", {}, el("td", { colspan: 7, class: "empty" }, "No action items yet.")));
    replaceChildren(this.form.elements.owner, ownerOptions(this.store.participants, null));
    this.form.hidden = this.store.frozen;
  }

  /** Everything changed (a reload, a status change, new participants): rebuild every row. */
  rebuild() {
    this.stale = true;
    this.render();
  }
}
