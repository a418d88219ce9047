/**
 * A live connection to one incident, for any page that shows one (the room, the
 * post-mortem editor). It speaks docs/protocol.md and guarantees:
 *
 * - events reach `handlers.event(event)` once each, in `seq` order, with no gaps: an event
 *   already held is dropped, a gap or a reconnect re-joins with `since`;
 * - changes (`change(name, payload)`) get an `op_id`, are sent one at a time in the order
 *   made, and are resent with the same `op_id` after a drop until acknowledged, so the
 *   server applies each exactly once; they survive a page reload (sessionStorage);
 * - every ack's `server_now` trains `clock` (a ServerClock) so pages can stamp "now".
 *
 *   const connection = new IncidentConnection(incidentId, {
 *     state(roomState) {}, event(incidentEvent) {}, presence(p) {}, timers(t) {},
 *     status({ state, pending }) {}, refused(error) {}, replayed(change, ack) {},
 *   });
 *   connection.start();
 *   const ack = await connection.change("timeline.add", { kind: "note", text: "..." });
 *   const history = await connection.ask("timeline.history", { entry_id });
 *   const stop = connection.on("live_text.update", (message) => {});  // this incident's only
 *   connection.onJoined(() => {});  // after every join: the first, and each after a drop
 */
import { io } from "../vendor/socket.io-client/socket.io.esm.min.js";
import { ServerClock } from "./time.js";

const ACK_TIMEOUT_MS = 15000;
const RETRY_DELAY_MS = 2000;
// Refusals that changed nothing and may succeed later with the same op_id.
const RETRYABLE = new Set(["rate_limited", "internal"]);

/** How long to wait before trying again: what the server said (`retry_after`), or a pause. */
function retryDelay(error) {
  return error.retry_after ? error.retry_after * 1000 : RETRY_DELAY_MS;
}

export class IncidentConnection {
  constructor(incidentId, handlers = {}, { clock = new ServerClock(), socketFactory = io } = {}) {
    this.incidentId = incidentId;
    this.handlers = handlers;
    this.clock = clock;
    this.socketFactory = socketFactory;
    this.seq = null;
    this.joined = false;
    this.joining = false;
    this.early = [];
    this.inFlight = false;
    this.storageKey = `incident-room:outbox:${incidentId}`;
    this.outbox = this.loadOutbox();
    this.subscriptions = []; // [name, listener] for socket events besides the room's own
    this.joinedListeners = new Set();
  }

  start() {
    this.socket = this.socketFactory({ transports: ["websocket"] });
    this.socket.on("connect", () => this.join());
    this.socket.on("disconnect", (reason) => this.dropped(reason));
    this.socket.on("connect_error", (error) => this.connectFailed(error));
    this.socket.on("incident.event", (event) => this.received(event));
    this.socket.on("presence", (presence) => this.forThisIncident(presence, "presence"));
    this.socket.on("timers", (timers) => this.forThisIncident(timers, "timers"));
    for (const [name, listener] of this.subscriptions) this.socket.on(name, listener);
    // Browsers keep a websocket open through an outage for minutes; going by what the
    // browser knows about its network shows "reconnecting" at once and resumes at once.
    window.addEventListener("offline", () => this.socket.disconnect());
    window.addEventListener("online", () => this.socket.connect());
    this.reportStatus("connecting");
    if (!navigator.onLine) this.socket.disconnect();
  }

  /**
   * Listen to a socket event of this incident (a feature's own, e.g. live text) from now
   * on, before or after `start`. Returns a function that stops listening.
   */
  on(name, listener) {
    const filtered = (message) => {
      if (message?.incident_id === this.incidentId) listener(message);
    };
    this.subscriptions.push([name, filtered]);
    this.socket?.on(name, filtered);
    return () => {
      this.subscriptions = this.subscriptions.filter(([, known]) => known !== filtered);
      this.socket?.off(name, filtered);
    };
  }

  /**
   * Call `listener` each time the room is joined: what a feature keeps on the server for
   * this connection (an open live text document) must be set up again after a drop.
   * Returns a function that stops it.
   */
  onJoined(listener) {
    this.joinedListeners.add(listener);
    return () => this.joinedListeners.delete(listener);
  }

  /** A mutating event; resolves with its ack (ok or refused) once the server answers. */
  change(name, payload, { coalesceKey = null } = {}) {
    const waiting = coalesceKey && this.outbox.find(
      (item) => item.coalesceKey === coalesceKey && !item.sent,
    );
    if (waiting) {
      Object.assign(waiting.payload, payload);
      this.saveOutbox();
      return new Promise((resolve) => waiting.resolvers.push(resolve));
    }
    const item = {
      op_id: crypto.randomUUID(), name, payload, coalesceKey, sent: false, resolvers: [],
    };
    const promise = new Promise((resolve) => item.resolvers.push(resolve));
    this.outbox.push(item);
    this.saveOutbox();
    this.reportStatus();
    this.flush();
    return promise;
  }

  /** A read (history and the like): needs a live connection, resolves with the ack. */
  async ask(name, payload) {
    if (!this.joined) {
      return { ok: false, error: { code: "offline", message: "Not connected: try again when the room is live." } };
    }
    try {
      return await this.emit(name, { incident_id: this.incidentId, ...payload });
    } catch {
      return { ok: false, error: { code: "offline", message: "No answer from the server." } };
    }
  }

  emit(name, payload) {
    const sentAt = Date.now();
    return this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(name, payload).then((ack) => {
      if (ack && ack.server_now) this.clock.observe(ack.server_now, sentAt);
      return ack;
    });
  }

  async join() {
    this.joining = true;
    const payload = { incident_id: this.incidentId };
    if (this.seq !== null) payload.since = this.seq;
    let ack;
    try {
      ack = await this.emit("join", payload);
    } catch {
      this.joining = false;
      if (this.socket.connected) setTimeout(() => this.join(), RETRY_DELAY_MS);
      return;
    }
    if (!ack.ok) {
      this.joining = false;
      if (ack.error.code === "rate_limited") {
        setTimeout(() => this.join(), retryDelay(ack.error));
        return;
      }
      this.handlers.refused?.(ack.error);
      this.reportStatus("refused");
      return;
    }
    if (ack.timeline) {
      this.seq = ack.seq;
      this.handlers.state?.(ack);
    } else {
      for (const event of ack.events) this.accept(event);
      if (ack.timers) this.handlers.timers?.(ack.timers);
      if (ack.more) return this.join();
    }
    if (ack.presence) this.handlers.presence?.(ack.presence);
    this.joining = false;
    this.joined = true;
    const early = this.early;
    this.early = [];
    for (const event of early) this.received(event);
    this.reportStatus("live");
    this.flush();
    for (const listener of this.joinedListeners) listener();
  }

  received(event) {
    if (event.incident_id !== this.incidentId) return;
    if (this.joining || this.seq === null) {
      this.early.push(event);
      return;
    }
    if (event.seq > this.seq + 1) {
      this.joined = false;
      this.join();
      return;
    }
    this.accept(event);
  }

  accept(event) {
    if (event.seq <= this.seq) return;
    this.seq = event.seq;
    this.handlers.event?.(event);
  }

  forThisIncident(message, handler) {
    if (message.incident_id === this.incidentId) this.handlers[handler]?.(message);
  }

  dropped(reason) {
    this.joined = false;
    this.joining = false;
    this.reportStatus(navigator.onLine ? "reconnecting" : "offline");
    // Socket.IO does not come back by itself from a disconnect the server made (e.g. after
    // a removal from a private incident): connect again and let `join` say what is allowed.
    if (reason === "io server disconnect") this.socket.connect();
  }

  connectFailed(error) {
    if (!this.socket.active) {
      this.handlers.refused?.(error.data || { code: "unauthenticated", message: error.message });
      this.reportStatus("refused");
    } else {
      this.reportStatus("reconnecting");
    }
  }

  async flush() {
    if (!this.joined || this.inFlight || this.outbox.length === 0) return;
    const item = this.outbox[0];
    this.inFlight = true;
    item.sent = true;
    this.saveOutbox();
    let ack;
    try {
      ack = await this.emit(item.name, {
        ...item.payload, incident_id: this.incidentId, op_id: item.op_id,
      });
    } catch {
      // Dropped or unanswered: the item stays first and goes again with its op_id.
      this.inFlight = false;
      if (this.joined) setTimeout(() => this.flush(), RETRY_DELAY_MS);
      return;
    }
    this.inFlight = false;
    if (!ack.ok && RETRYABLE.has(ack.error.code)) {
      setTimeout(() => this.flush(), retryDelay(ack.error));
      return;
    }
    this.outbox.shift();
    this.saveOutbox();
    this.reportStatus();
    if (item.resolvers.length) {
      for (const resolve of item.resolvers) resolve(ack);
    } else {
      this.handlers.replayed?.(item, ack);
    }
    this.flush();
  }

  loadOutbox() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(this.storageKey) || "[]");
      return saved.map((item) => ({ ...item, resolvers: [] }));
    } catch {
      return [];
    }
  }

  saveOutbox() {
    const plain = this.outbox.map(({ resolvers, ...item }) => item);
    try {
      sessionStorage.setItem(this.storageKey, JSON.stringify(plain));
    } catch {
      // Storage full or disabled: the queue still lives in memory for this page.
    }
  }

  reportStatus(state = this.state) {
    this.state = state;
    this.handlers.status?.({ state, pending: this.outbox.length });
  }
}
