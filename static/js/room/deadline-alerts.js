// Deadlines that speak up to the person who owns them (the Communications Lead for updates,
// the IC for roles, severity and the SEV2 escalation; the IC while a role is unfilled): when
// one is near (its `warn_at`) and again when it passes, they get a line in the room, the tab
// title, a Web Notification where allowed, and a sound if they turned it on. Everyone else
// sees the chips only. Phases are counted on the server's clock (ServerClock).
import { beep, notifyDesktop, setSound, soundOn } from "../alerting.js";
import { formatDuration, formatLocalTime, formatUtc } from "../time.js";

const ROLE_NAMES = { incident_commander: "Incident Commander", communications_lead: "Communications Lead" };

export class DeadlineAlerts {
  constructor(root, { store, clock, notices, reference }) {
    this.store = store;
    this.clock = clock;
    this.notices = notices;
    this.reference = reference;
    this.baseTitle = document.title;
    this.told = new Map(); // "key@due_at" -> the last phase told
    this.soundButton = root.querySelector("#alert-sound");
    this.notifyButton = root.querySelector("#alert-notify");
    this.soundButton.addEventListener("click", () => this.toggleSound());
    this.notifyButton.addEventListener("click", () => this.askToNotify());
    this.renderControls();
    store.subscribe((changed) => {
      if (["timers", "roles", "incident"].some((part) => changed.parts.has(part))) this.check();
    });
    setInterval(() => this.check(), 1000);
  }

  toggleSound() {
    setSound(!soundOn());
    this.renderControls();
    beep(1);
  }

  async askToNotify() {
    if ("Notification" in window) await Notification.requestPermission();
    this.renderControls();
  }

  renderControls() {
    const on = soundOn();
    this.soundButton.setAttribute("aria-pressed", String(on));
    this.soundButton.textContent = on ? "Alert sound: on" : "Alert sound: off";
    const permission = "Notification" in window ? Notification.permission : "unsupported";
    this.notifyButton.hidden = permission !== "default";
  }

  mine() {
    const me = this.store.me.id;
    return (this.store.timers?.deadlines || []).filter((deadline) => deadline.owner?.id === me);
  }

  check() {
    const now = this.clock.nowMs();
    const overdue = [];
    const near = [];
    for (const deadline of this.mine()) {
      const due = Date.parse(deadline.due_at);
      const phase = now >= due ? "passed" : now >= Date.parse(deadline.warn_at) ? "near" : null;
      if (!phase) continue;
      (phase === "passed" ? overdue : near).push({ deadline, left: due - now });
      const id = `${deadline.key}@${deadline.due_at}`;
      if (this.told.get(id) !== phase) {
        this.told.set(id, phase);
        this.tell(deadline, phase, due - now);
      }
    }
    this.showInTitle(overdue, near);
  }

  showInTitle(overdue, near) {
    let title = this.baseTitle;
    if (overdue.length) {
      title = `(!) Overdue: ${overdue.map(({ deadline }) => deadline.label).join(", ")} · ${this.baseTitle}`;
    } else if (near.length) {
      const [{ deadline, left }] = near.sort((a, b) => a.left - b.left);
      title = `(${formatDuration(left)}) ${deadline.label} · ${this.baseTitle}`;
    }
    if (document.title !== title) document.title = title;
  }

  tell(deadline, phase, left) {
    const due = new Date(deadline.due_at);
    const when = `${formatLocalTime(due)}, ${formatUtc(due)}`;
    const yours = `Yours as ${ROLE_NAMES[deadline.owner_role] || "owner"}.`;
    const text = phase === "passed"
      ? `${deadline.label} is overdue (was due ${when}). ${yours}`
      : `${deadline.label} due in ${formatDuration(left)} (${when}). ${yours}`;
    this.notices.show(phase === "passed" ? "error" : "warn", text).classList.add("deadline-notice");
    notifyDesktop(`${this.reference}: ${deadline.label}`, text, deadline.key);
    beep(phase === "passed" ? 2 : 1);
  }
}
