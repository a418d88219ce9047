// Blameless suggestions shown next to the text they are about: gentle advice, never a block.
import { el } from "../dom.js";

/** A list of suggestions for `flags` (from the server), or nothing when there are none. */
export function suggestionList(flags) {
  if (!flags.length) return null;
  return el("ul", { class: "pm-suggestions", "aria-label": "Blameless suggestions" },
    flags.map((flag) => el("li", {},
      el("span", { class: "pm-phrase" }, `“${flag.phrase}”`), " ", flag.suggestion)));
}
