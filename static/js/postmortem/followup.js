// The follow-through's forms on the post-mortem page (the IC's call on the requirement,
// milestones done, the meeting invite, reviewers and their answers, the day-30 review):
// each is a server-rendered form naming its socket event; sent through the page's
// connection, a change accepted reloads the page (which shows it), a refusal is a notice.
// Without scripts the forms stay hidden: the page still shows everything recorded.
export function wireFollowupForms(connection, notices) {
  for (const form of document.querySelectorAll("form[data-event]")) {
    form.hidden = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ack = await connection.change(form.dataset.event, payloadOf(form));
      if (ack.ok) location.reload();
      else notices.refused(form.dataset.refused || "Not saved", ack.error);
    });
  }
}

function payloadOf(form) {
  const payload = {};
  for (const [name, value] of new FormData(form)) {
    const text = String(value).trim();
    if (!text) continue;
    payload[name] = form.dataset.list === name ? text.split(/[\s,]+/).filter(Boolean) : text;
  }
  return payload;
}
