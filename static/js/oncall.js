// On-call pages: every instant also in the viewer's zone (UTC stays shown), the override
// form defaults to the viewer's zone, and a new calendar link is selected for copying.
import { formatLocal } from "./time.js";

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";

for (const node of document.querySelectorAll("time[data-viewer]")) {
  const date = new Date(node.getAttribute("datetime"));
  if (Number.isNaN(date.getTime())) continue;
  node.textContent = `${formatLocal(date)}${zone ? ` ${zone}` : ""}`;
  node.closest(".viewer-time")?.removeAttribute("hidden");
}

const zoneInput = document.querySelector("input[data-viewer-zone]");
if (zoneInput && zone && zoneInput.value === "UTC") zoneInput.value = zone;

document.querySelector("input[data-feed-url]")?.select();
