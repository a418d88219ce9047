// The all-clear, guarded as the playbook asks: the IC calls it with what is still open in
// view; a SEV1 or SEV2 then waits for a second participant to confirm recovery (anyone else
// in the room confirms, or says "not over yet" with a reason); the IC may end it alone with
// a reason. The waiting request shows to everyone, with both clocks.
import { el, replaceChildren } from "../dom.js";
import { formatLocalTime, formatUtc } from "../time.js";

export class AllClear {
  constructor(root, { store, config, send }) {
    this.store = store;
    this.config = config;
    this.send = send;
    this.opener = root.querySelector("#all-clear");
    this.banner = root.querySelector("#all-clear-request");
    this.dialog = root.querySelector("#all-clear-dialog");
    this.heading = this.dialog.querySelector("#all-clear-title");
    this.openList = this.dialog.querySelector('[data-field="still-open"]');
    this.rule = this.dialog.querySelector('[data-field="all-clear-rule"]');
    this.go = this.dialog.querySelector("#all-clear-go");
    this.alone = this.dialog.querySelector("#all-clear-alone");
    this.reason = this.dialog.querySelector("#all-clear-reason");
    this.error = this.dialog.querySelector('[data-field="all-clear-error"]');
    this.opener.addEventListener("click", () => this.open("call"));
    this.go.addEventListener("click", () => this.submit());
    this.dialog.querySelector("#all-clear-alone-go").addEventListener("click", () => this.endAlone());
    this.dialog.addEventListener("close", () => this.opener.focus());
    store.subscribe((changed) => {
      if (changed.parts.has("incident") || changed.parts.has("roles")) this.render();
    });
  }

  needsSecond() {
    return this.config.all_clear_needs_second.includes(this.store.incident.severity);
  }

  render() {
    const incident = this.store.incident;
    if (!incident) return;
    const active = this.config.active_statuses.includes(incident.status);
    const request = active ? incident.all_clear_request : null;
    this.opener.hidden = !(active && this.store.iAmCommander() && !request);
    this.banner.hidden = !request;
    if (!request) return replaceChildren(this.banner, []);
    const at = new Date(request.at);
    const mine = request.by?.id === this.store.me.id;
    const actions = mine || this.store.iAmCommander()
      ? [el("button", { type: "button", onclick: () => this.withdraw(null) }, "Withdraw all-clear")]
      : [el("button", { type: "button", class: "primary", onclick: () => this.open("confirm") }, "Confirm all-clear"),
        el("button", { type: "button", onclick: () => this.objectToIt() }, "Not over yet")];
    replaceChildren(this.banner, [
      el("p", {}, el("strong", {}, request.by?.display_name || "The IC"), " called all-clear at ",
        el("time", { dateTime: request.at, title: formatUtc(at) }, formatLocalTime(at)),
        ` (${formatUtc(at)})`,
        mine ? ": waiting for a second participant to confirm recovery."
          : ": is it over? A second participant confirms recovery."),
      el("div", { class: "row" }, ...actions),
    ]);
  }

  /** What is still open, in a few words per kind: the all-clear asks with it in view. */
  stillOpen() {
    const live = this.store.orderedEntries().filter((entry) => !entry.deleted && !entry.pending);
    const open = (kind, done) => live.filter((e) => e.kind === kind && !done(e.details?.status));
    const lines = [];
    const unticked = this.store.checklist.filter((item) => !item.done);
    if (unticked.length) {
      lines.push(`${unticked.length} of ${this.store.checklist.length} checklist items unticked: `
        + unticked.slice(0, 4).map((item) => item.text).join("; ") + (unticked.length > 4 ? "; …" : ""));
    }
    const actions = open("action", (status) => status === "done");
    if (actions.length) lines.push(`${actions.length} action(s) not done: ${actions.map((e) => e.text).join("; ")}`);
    const hypotheses = open("hypothesis", (status) => status && status !== "open");
    if (hypotheses.length) lines.push(`${hypotheses.length} hypothesis(es) still open: ${hypotheses.map((e) => e.text).join("; ")}`);
    return lines;
  }

  open(mode) {
    this.mode = mode;
    const open = this.stillOpen();
    replaceChildren(this.openList, open.length ? open.map((line) => el("li", {}, line))
      : [el("li", {}, "Nothing is left open.")]);
    const severity = this.store.incident.severity;
    const confirming = mode === "confirm";
    this.heading.textContent = confirming ? "Confirm the all-clear?" : "Call all-clear?";
    this.go.textContent = confirming ? "Confirm all-clear" : "Call all-clear";
    this.rule.textContent = confirming
      ? "Confirm only if monitoring shows recovery. The incident becomes resolved and the post-mortem clock starts."
      : this.needsSecond()
        ? `A ${severity} ends when a second participant confirms recovery; your call waits for them.`
        : "The incident becomes resolved and the post-mortem clock starts.";
    this.alone.hidden = confirming || !this.needsSecond();
    this.alone.open = false;
    this.reason.value = "";
    this.error.textContent = "";
    this.dialog.showModal();
    this.go.focus();
  }

  async submit() {
    const confirming = this.mode === "confirm";
    const ack = await this.send(confirming ? "incident.all_clear_confirm" : "incident.all_clear", {},
      confirming ? "All-clear not confirmed" : "All-clear not called");
    if (ack.ok) this.dialog.close();
  }

  async endAlone() {
    const reason = this.reason.value.trim();
    if (!reason) {
      this.error.textContent = "Say why nobody else can confirm: the timeline keeps your reason.";
      this.reason.focus();
      return;
    }
    const ack = await this.send("incident.all_clear", { override_reason: reason }, "All-clear not called");
    if (ack.ok) this.dialog.close();
  }

  async objectToIt() {
    const reason = window.prompt("What is not over yet? The timeline keeps your reason.")?.trim();
    if (reason) await this.withdraw(reason);
  }

  async withdraw(reason) {
    await this.send("incident.all_clear_withdraw", reason ? { reason } : {}, "All-clear not withdrawn");
  }
}
