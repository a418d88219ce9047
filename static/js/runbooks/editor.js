// The runbook editor's live preview: the Markdown goes to the server, which renders and
// sanitises it (one place: services/runbooks/markdown.py); the answer is shown as sent,
// with the warnings and the refusal a save would meet.
import { el } from "../dom.js";

const textarea = document.getElementById("runbook-body");
const preview = document.querySelector("[data-preview]");
const problems = document.querySelector("[data-preview-problems]");
const WAIT_MS = 300;
let timer = null;
let latest = 0;

async function refresh() {
  const asked = ++latest;
  let answer;
  try {
    const response = await fetch("/api/runbooks/preview", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ body: textarea.value }),
      credentials: "same-origin",
    });
    answer = await response.json();
  } catch {
    return; // offline for a moment: the next keystroke tries again
  }
  if (asked !== latest) return; // a newer preview is on its way
  if (answer.error) {
    problems.replaceChildren(el("li", { class: "problem" }, answer.error.message));
    return;
  }
  preview.innerHTML = answer.html; // sanitised by the server (nh3), never the raw text
  const items = answer.warnings.map((text) => el("li", { class: "warning" }, text));
  if (answer.problem) items.unshift(el("li", { class: "problem" }, answer.problem.message));
  problems.replaceChildren(...items);
}

textarea?.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(refresh, WAIT_MS);
});
if (textarea) refresh();
