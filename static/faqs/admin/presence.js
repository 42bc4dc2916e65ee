// "Ana is also editing this question": the change form renews a short-lived presence
// mark every 20 s while it is open and shows who else has a mark. The mark expires by
// itself when a tab closes without saying goodbye.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const notice = document.querySelector("[data-presence-url]");
  if (!notice) return;
  const url = notice.dataset.presenceUrl;
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const text = notice.querySelector("[data-presence-text]");

  function show(others) {
    notice.hidden = others.length === 0;
    const names = others.map((other) => `${other.name} (since ${other.since})`).join(", ");
    const verb = others.length === 1 ? "is" : "are";
    text.textContent = others.length ? `${names} ${verb} also editing this question. If they save first, ` +
      "your save will be refused and you will see their changes." : "";
  }

  async function renew() {
    if (document.visibilityState === "hidden") return;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    try {
      const response = await fetch(url, { method: "POST", body, credentials: "same-origin" });
      if (response.ok) show((await response.json()).others);
    } catch (error) { /* offline: try again at the next beat */ }
  }

  renew();
  setInterval(renew, 20000);
  document.addEventListener("visibilitychange", renew);
  window.addEventListener("pagehide", () => {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("leave", "1");
    navigator.sendBeacon(url, body);
  });
});
