// The observer links page: a link's field selects itself when focused, ready to copy.
for (const field of document.querySelectorAll("input[data-select-on-focus]")) {
  field.addEventListener("focus", () => field.select());
}
