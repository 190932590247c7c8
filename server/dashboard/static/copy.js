// Copy buttons (<button data-copy="text" data-status="id" hidden>): shown once this script
// runs, since copying needs it; the element named by data-status says what happened (in
// data-copied's and data-failed's words, when the button has them: the page's language).

async function copy(text) {
  if (navigator.clipboard) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain http on a local network has no navigator.clipboard: the older way still works there.
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  document.body.append(field);
  field.select();
  const copied = document.execCommand("copy");
  field.remove();
  if (!copied) throw new Error("copy refused");
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  const status = document.getElementById(button.dataset.status);
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await copy(button.dataset.copy);
      status.textContent =
        button.dataset.copied || "Link copied. Paste it into a message to the client.";
    } catch {
      status.textContent =
        button.dataset.failed || "This browser would not copy: select the link above and copy it.";
    }
  });
}
