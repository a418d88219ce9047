// The status page, live: an anonymous socket (no cookie, no account) hears that the page
// changed, and its new version; it fetches the page for that version (the server's cached
// rendering) and swaps in the new content. Without scripts the page is the same, only not live.
import { io } from "../../vendor/socket.io-client/socket.io.esm.min.js";

const live = document.getElementById("sp-live");

async function refresh(change) {
  const version = change && change.version ? `?v=${encodeURIComponent(change.version)}` : "";
  const response = await fetch(live.dataset.live + version, { credentials: "omit", cache: "no-cache" });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("sp-live");
  if (fresh) live.replaceChildren(...fresh.childNodes);
}

if (live) {
  const socket = io({ auth: { status_page: true }, transports: ["websocket"], withCredentials: false });
  socket.on("connect", () => { live.dataset.connected = "true"; });
  socket.on("disconnect", () => { delete live.dataset.connected; });
  socket.on("status_page.changed", refresh);
  // After a lost connection the page may have moved on without us.
  socket.io.on("reconnect", () => refresh());
}
