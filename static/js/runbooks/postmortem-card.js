// The post-mortem's runbook card: "Suggest as an action item" puts the suggestion into the
// new action item form, for the team to give it an owner and a due date and add it.
const input = document.getElementById("new-item-text");
for (const button of document.querySelectorAll("button[data-suggested-item]")) {
  button.addEventListener("click", () => {
    input.value = button.dataset.suggestedItem;
    input.focus();
  });
}
