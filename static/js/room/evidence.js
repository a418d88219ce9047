// Evidence images: pasted or dropped onto an entry (or picked with its "Attach image"
// button), uploaded to the evidence endpoint, shown as thumbnails to everyone.
import { el, nameOf } from "../dom.js";

export class Evidence {
  constructor(root, { store, config, notices }) {
    this.store = store;
    this.config = config;
    this.notices = notices;
    root.addEventListener("paste", (event) => this.onPaste(event));
    root.addEventListener("dragover", (event) => {
      if (this.entryOf(event.target) && event.dataTransfer?.types.includes("Files")) {
        event.preventDefault();
        this.entryNode(event.target).classList.add("drop-target");
      }
    });
    root.addEventListener("dragleave", (event) => this.entryNode(event.target)?.classList.remove("drop-target"));
    root.addEventListener("drop", (event) => this.onDrop(event));
  }

  entryNode(target) {
    return target instanceof Element ? target.closest("li.entry") : null;
  }

  entryOf(target) {
    return this.entryNode(target)?.dataset.entryId || null;
  }

  onPaste(event) {
    const entryId = this.entryOf(event.target);
    const files = imagesIn(event.clipboardData);
    if (!entryId || files.length === 0) return;
    event.preventDefault();
    for (const file of files) this.upload(entryId, file);
  }

  onDrop(event) {
    const entryId = this.entryOf(event.target);
    if (!entryId) return;
    event.preventDefault();
    this.entryNode(event.target).classList.remove("drop-target");
    for (const file of event.dataTransfer.files) this.upload(entryId, file);
  }

  attachButton(entryId, label) {
    const input = el("input", {
      type: "file", accept: "image/png,image/jpeg,image/webp", class: "sr-only", tabindex: "-1",
      onchange: () => {
        for (const file of input.files) this.upload(entryId, file);
        input.value = "";
      },
    });
    return el("span", {}, input, el("button", {
      type: "button", class: "link-button", "aria-label": label, onclick: () => input.click(),
    }, "Attach image"));
  }

  async upload(entryId, file) {
    const body = new FormData();
    body.append("file", file, file.name || "pasted-image");
    let response;
    try {
      response = await fetch(`/api/incidents/${this.config.incident_id}/entries/${entryId}/evidence`, {
        method: "POST", body, headers: { "X-CSRFToken": this.config.csrf_token }, credentials: "same-origin",
      });
    } catch {
      this.notices.show("error", "Image not attached: the server could not be reached.");
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (response.ok) {
      this.store.evidence.set(answer.evidence.id, answer.evidence);
      this.store.notify(["evidence"], [entryId]);
      this.notices.show("info", "Image attached.");
    } else {
      const error = answer.error || { code: String(response.status), message: response.statusText };
      const what = error.code === "too_large" ? "Image too large" : "Image not attached";
      this.notices.refused(what, error);
    }
  }

  thumbnails(entryId) {
    const items = this.store.evidenceFor(entryId);
    if (items.length === 0) return null;
    return el("ul", { class: "evidence", "aria-label": "Evidence images" }, items.map((item) =>
      el("li", {}, el("a", { href: item.url, target: "_blank", rel: "noopener" },
        el("img", {
          src: item.url, loading: "lazy", width: item.width, height: item.height,
          alt: `Evidence image, ${item.width} by ${item.height} pixels, from ${nameOf(item.uploaded_by)}`,
        })))));
  }
}

function imagesIn(transfer) {
  if (!transfer) return [];
  return [...transfer.items || []]
    .filter((item) => item.kind === "file" && item.type.startsWith("image/"))
    .map((item) => item.getAsFile())
    .filter(Boolean);
}
