// Shows every <time data-local> in the viewer's zone, keeping UTC on hover.
export function formatLocal(date) {
  return date.toLocaleString(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
}

export function formatUtc(date) {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function localiseTimes(root = document) {
  for (const node of root.querySelectorAll("time[data-local]")) {
    const date = new Date(node.getAttribute("datetime"));
    if (Number.isNaN(date.getTime())) continue;
    node.textContent = formatLocal(date);
    node.title = formatUtc(date);
  }
}

localiseTimes();
