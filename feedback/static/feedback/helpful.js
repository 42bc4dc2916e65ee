// "Was this helpful?" without leaving the page. The forms work without this script
// (each post answers with a thank-you page); with it, each post is sent with fetch and
// the step the answer page holds ([data-helpful-step]) replaces the form in place.
// The endpoint sets no cookie and reads none: fetch sends none (credentials: "omit").
(function () {
  "use strict";

  const box = document.querySelector("[data-helpful]");
  if (!box || !window.fetch || !window.DOMParser) {
    return;
  }
  const status = box.querySelector("[data-helpful-status]");

  function showStep(html) {
    const answer = new DOMParser().parseFromString(html, "text/html");
    const step = answer.querySelector("[data-helpful-step]");
    if (!step) {
      return false;
    }
    box.querySelectorAll(".helpful__form, [data-helpful-step]").forEach((old) => old.remove());
    const shown = document.importNode(step, true);
    box.insertBefore(shown, status);
    const thanks = shown.querySelector(".helpful__thanks");
    status.textContent = thanks ? thanks.textContent : "";
    if (thanks) {
      thanks.focus(); // the button pressed is gone: focus stays in the box
    }
    return true;
  }

  box.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.plain) {
      return; // the fallback below: let the browser post it
    }
    event.preventDefault();
    const submitter = event.submitter;
    const body = new FormData(form, submitter);
    const buttons = form.querySelectorAll("button");
    buttons.forEach((button) => { button.disabled = true; });
    fetch(form.action, { method: "POST", body: body, credentials: "omit" })
      .then((response) => response.text())
      .then((html) => {
        if (!showStep(html)) {
          throw new Error("no step in the answer");
        }
      })
      .catch(() => {
        // Posted the plain way instead: the thank-you (or refusal) page explains itself.
        buttons.forEach((button) => { button.disabled = false; });
        form.dataset.plain = "1";
        form.requestSubmit(submitter);
      });
  });
})();
