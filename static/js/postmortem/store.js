// The post-mortem as this page knows it: loaded from `postmortem.get`, then kept current by
// the incident's `postmortem.*` events (in seq order) and by the acks of our own changes.
// Views subscribe and redraw what changed; nothing here touches the DOM.

export class PostmortemStore {
  constructor() {
    this.loaded = false;
    this.seq = 0;
    this.header = null;
    this.sections = new Map();
    this.items = new Map();
    this.flags = new Map(); // "section:summary" / "action_item:<id>" -> [flag]
    this.participants = [];
    this.mayPublish = false;
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  /** `change`: {what: "all" | "section" | "items" | "status" | "participants", ...}. */
  notify(change) {
    for (const listener of this.listeners) listener(change);
  }

  load(state) {
    this.loaded = true;
    this.seq = state.seq;
    this.header = state.postmortem;
    this.sections = new Map(state.sections.map((section) => [section.key, section]));
    this.items = new Map(state.action_items.map((item) => [item.id, item]));
    this.flags = new Map();
    for (const flag of state.blameless) {
      if (!this.flags.has(flag.where)) this.flags.set(flag.where, []);
      this.flags.get(flag.where).push(flag);
    }
    this.participants = state.participants;
    this.mayPublish = state.may_publish;
    this.notify({ what: "all" });
  }

  get frozen() {
    return this.header?.status === "published";
  }

  flagsFor(where) {
    return this.flags.get(where) || [];
  }

  /** Newer versions only: an ack and its event carry the same version, applied once. */
  /** `live`: the revision records live typing (its editors saw it as it happened). */
  acceptSection(section, flags, actor = null, live = false) {
    const known = this.sections.get(section.key);
    if (known && known.version >= section.version) return;
    this.sections.set(section.key, section);
    if (flags) this.flags.set(`section:${section.key}`, flags);
    this.notify({ what: "section", key: section.key, actor, live });
  }

  acceptItem(item, flags) {
    const known = this.items.get(item.id);
    if (known && known.version >= item.version) return;
    if (item.deleted) {
      this.items.delete(item.id);
      this.flags.delete(`action_item:${item.id}`);
    } else {
      this.items.set(item.id, item);
      if (flags) this.flags.set(`action_item:${item.id}`, flags);
    }
    this.notify({ what: "items" });
  }

  acceptHeader(header) {
    if (!header || (this.header && this.header.revision > header.revision)) return;
    const changed = !this.header || this.header.status !== header.status
      || this.header.revision !== header.revision;
    this.header = header;
    if (changed) this.notify({ what: "status" });
  }

  orderedItems() {
    return [...this.items.values()].sort((a, b) => a.position - b.position);
  }

  /**
   * Apply one `incident.event`. Returns "reload" when the page should read the whole
   * post-mortem again (a new revision started, or the post-mortem just opened).
   */
  applyEvent(event) {
    if (event.type === "incident.all_clear" && !this.loaded) return "reload";
    if (!this.loaded || event.seq <= this.seq) return null;
    this.seq = event.seq;
    const data = event.data;
    switch (event.type) {
      case "postmortem.revision_started":
        return "reload";
      case "postmortem.section_edited":
        this.acceptHeader(data.postmortem);
        this.acceptSection(data.section, data.blameless, event.actor, Boolean(data.live));
        break;
      case "postmortem.action_item_added":
      case "postmortem.action_item_edited":
      case "postmortem.action_item_deleted":
        this.acceptHeader(data.postmortem);
        this.acceptItem(data.action_item, data.blameless);
        break;
      case "postmortem.status_changed":
        this.acceptHeader(data.postmortem);
        break;
      case "participant.joined":
        this.participants = [...this.participants, data.participant]
          .sort((a, b) => a.display_name.localeCompare(b.display_name));
        this.notify({ what: "participants" });
        break;
      default:
        break;
    }
    return null;
  }
}
