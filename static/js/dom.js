// Building DOM from data without ever parsing user text as HTML.

/**
 * el("button", { class: "primary", onclick: fn, "aria-label": "Post" }, "Post", child)
 * Strings become text nodes; `null`/`false` children are skipped; attributes starting
 * with "on" become listeners; boolean attributes are set when true.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else if (name === "value" || (name in node && typeof value !== "string")) {
      node[name] = value;
    } else {
      node.setAttribute(name, value === true ? "" : value);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

// A display name for a user reference ({id, username, display_name}) or null.
export function nameOf(user, fallback = "nobody") {
  return user ? user.display_name || user.username : fallback;
}

const WEB_ADDRESS = /https?:\/\/[^\s<>"')]+/g;

/** Text with its http(s) addresses as links (built as nodes: the text is never HTML). */
export function linkified(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(WEB_ADDRESS)) {
    const address = match[0].replace(/[.,;:!?]+$/, "");
    parts.push(text.slice(last, match.index),
      el("a", { href: address, rel: "noopener noreferrer", target: "_blank" }, address));
    last = match.index + address.length;
  }
  parts.push(text.slice(last));
  return parts;
}
