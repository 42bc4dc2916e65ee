// The change form's content analysis lights. The server runs the one analysis module
// (analysis/checks.py) on the unsaved form; this script only sends the form, a little
// after the editor stops typing, and puts the answer's HTML in the panel.
"use strict";
function startAnalysisLights() {
  const first = document.querySelector(".analysis-panel");
  if (!first) return;
  const form = first.closest("form");
  const endpoint = first.dataset.endpoint;
  let timer = null;
  let pending = null;

  async function refresh() {
    const panel = document.querySelector(".analysis-panel");
    if (pending) pending.abort();
    pending = new AbortController();
    panel.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(endpoint, {
        method: "POST", body: new FormData(form), signal: pending.signal,
        headers: { "X-Requested-With": "fetch" }, credentials: "same-origin",
      });
      if (response.ok) {
        const open = [...panel.querySelectorAll("details[open]")].map((node) => node.closest("section").ariaLabel);
        panel.outerHTML = (await response.json()).html;
        document.querySelectorAll(".analysis-panel details").forEach((node) => {
          if (open.includes(node.closest("section").ariaLabel)) node.open = true;
        });
      } else {
        panel.setAttribute("aria-busy", "false");
      }
    } catch (error) {
      if (error.name !== "AbortError") panel.setAttribute("aria-busy", "false");
    }
  }

  function later(event) {
    if (event.target && event.target.closest && event.target.closest(".analysis-panel")) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 600); // debounced: the analysis reads the whole answer
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAnalysisLights);
else startAnalysisLights();
