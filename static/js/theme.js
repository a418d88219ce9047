// Light or dark by the system's preference, unless this browser chose one with the
// toggle in the top bar (kept in localStorage).
const KEY = "incident-room:theme";
const root = document.documentElement;
const toggle = document.getElementById("theme-toggle");

function systemTheme() {
  return window.matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
}

/** The button says what pressing it does: the theme it switches to. */
function apply(theme) {
  root.dataset.theme = theme;
  if (toggle) toggle.textContent = `Switch to ${theme === "dark" ? "light" : "dark"} theme`;
}

apply(localStorage.getItem(KEY) || systemTheme());
toggle?.addEventListener("click", () => {
  const next = root.dataset.theme === "dark" ? "light" : "dark";
  localStorage.setItem(KEY, next);
  apply(next);
});
