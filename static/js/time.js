// Times for people: local time on the page, UTC on hover, and a clock that follows the
// server's, so "now" stamped in a browser whose clock is wrong is still the right time.

export function formatLocal(date) {
  return date.toLocaleString(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
}

export function formatLocalTime(date) {
  return date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function formatUtc(date) {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

// A <time> element showing `iso` in the viewer's zone with UTC as its tooltip.
export function timeElement(iso, { short = false } = {}) {
  const node = document.createElement("time");
  const date = new Date(iso);
  node.dateTime = iso;
  node.textContent = short ? formatLocalTime(date) : formatLocal(date);
  node.title = formatUtc(date);
  return node;
}

export function localiseTimes(root = document) {
  for (const node of root.querySelectorAll("time[data-local]")) {
    const date = new Date(node.getAttribute("datetime"));
    if (Number.isNaN(date.getTime())) continue;
    node.textContent = formatLocal(date);
    node.title = formatUtc(date);
  }
}

// "1h 05m", "4m 09s": how long something has run or is left to run.
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n) => String(n).padStart(2, "0");
  if (hours) return `${hours}h ${pad(minutes)}m`;
  return `${minutes}m ${pad(seconds)}s`;
}

// The value a <input type="datetime-local"> shows for `date`, in the viewer's zone.
export function toLocalInputValue(date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 16);
}

export function fromLocalInputValue(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The server's clock as seen from this browser. Every socket ack carries `server_now`;
 * the offset is taken from the exchange with the shortest round trip (the least noisy),
 * assuming the server answered half-way through it.
 */
export class ServerClock {
  constructor() {
    this.offsetMs = 0;
    this.bestRoundTripMs = Infinity;
  }

  observe(serverNowIso, sentAtMs, receivedAtMs = Date.now()) {
    const serverMs = Date.parse(serverNowIso);
    if (Number.isNaN(serverMs)) return;
    const roundTrip = Math.max(0, receivedAtMs - sentAtMs);
    if (roundTrip > this.bestRoundTripMs) return;
    this.bestRoundTripMs = roundTrip;
    this.offsetMs = serverMs - (sentAtMs + roundTrip / 2);
  }

  nowMs() {
    return Date.now() + this.offsetMs;
  }

  now() {
    return new Date(this.nowMs());
  }
}
