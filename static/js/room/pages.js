// The incident's pages: who was woken, whether they acknowledged, and whether each e-mail
// got out - a channel that fails is retried and says so here, while escalation goes on.
import { el, nameOf, replaceChildren } from "../dom.js";

const EMAIL = { pending: "e-mail being retried", delivered: "e-mail sent", failed: "e-mail failed" };

export class PagesPanel {
  constructor(section, { store }) {
    this.section = section;
    this.list = section.querySelector("#pages");
    this.store = store;
    store.subscribe((changed) => {
      if (changed.parts.has("pages")) this.render();
    });
  }

  render() {
    const pages = [...this.store.pages].sort((a, b) => a.id - b.id);
    this.section.hidden = pages.length === 0;
    replaceChildren(this.list, pages.map((page) => el("li", { dataset: { page: page.id } },
      el("strong", {}, page.service), ` · ${page.status}`,
      page.acked_by ? ` by ${nameOf(page.acked_by)}` : null,
      el("ul", {}, page.reach.map((reach) => el("li", { class: reach.email === "failed" || reach.email_error ? "reach-trouble" : "" },
        `${nameOf(reach.person)} (${reach.step})`,
        reach.email ? ` — ${EMAIL[reach.email] || reach.email}` : " — in the browser only",
        reach.email_error ? `: ${reach.email_error}` : null))))));
  }
}
