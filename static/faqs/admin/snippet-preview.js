// The change form's search snippet and social card. The server runs the real head
// builder on the unsaved form (faqs/admin/snippet.py); this script only sends the
// form, draws the answer and measures the title's width, which only a browser can.
"use strict";
function startSnippetPreview() {
  const panel = document.querySelector(".snippet-preview");
  if (!panel) return;
  const form = panel.closest("form");
  const maxPx = Number(panel.dataset.titleMaxPx);
  const minPx = Number(panel.dataset.titleMinPx);
  const maxChars = Number(panel.dataset.descriptionMaxChars);
  const canvas = document.createElement("canvas").getContext("2d");
  canvas.font = "20px Arial, sans-serif"; // the font of a desktop search result's title
  let timer = null;
  let pending = null;

  function setText(name, value) {
    panel.querySelectorAll(`[data-field="${name}"]`).forEach((node) => { node.textContent = value; });
  }

  function setMeter(name, state, text, fraction) {
    const meter = panel.querySelector(`[data-meter="${name}"]`);
    meter.dataset.state = state;
    panel.querySelector(`[data-meter-text="${name}"]`).textContent = text;
    panel.querySelector(`[data-meter-bar="${name}"]`).style.width = `${Math.min(100, fraction * 100)}%`;
  }

  function measureTitle(title) {
    const width = Math.round(canvas.measureText(title).width);
    let state = "good";
    let text = `${width} px of about ${maxPx}: fits.`;
    if (width > maxPx) {
      state = "red";
      text = `${width} px of about ${maxPx}: search results cut it off.`;
    } else if (width < minPx) {
      state = "amber";
      text = `${width} px: short; a title that says more earns more clicks.`;
    }
    setMeter("title", state, text, width / maxPx);
  }

  function draw(snippet) {
    for (const name of ["title", "description", "breadcrumb", "robots", "og_title", "og_description", "og_site_name"]) {
      setText(name, snippet[name]);
    }
    panel.querySelector('[data-show="noindex"]').hidden = snippet.indexed;
    panel.querySelector('[data-show="derived"]').hidden = !snippet.description_derived;
    measureTitle(snippet.title);
    setMeter("description", snippet.description_state, snippet.description_advice,
      snippet.description.length / maxChars);
    panel.dataset.fresh = "true";
  }

  async function refresh() {
    if (pending) pending.abort();
    pending = new AbortController();
    panel.dataset.fresh = "false";
    try {
      const response = await fetch(panel.dataset.endpoint, {
        method: "POST", body: new FormData(form), signal: pending.signal,
        headers: { "X-Requested-With": "fetch" }, credentials: "same-origin",
      });
      if (response.ok) draw(await response.json());
    } catch (error) {
      if (error.name !== "AbortError") panel.dataset.fresh = "error";
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350); // debounced while typing
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  panel.querySelectorAll(".snippet-width").forEach((button) => {
    button.addEventListener("click", () => {
      panel.querySelectorAll(".snippet-width").forEach((other) => {
        other.setAttribute("aria-pressed", String(other === button));
      });
      panel.querySelector("[data-serp]").className = `serp serp-${button.dataset.width}`;
    });
  });
  measureTitle(panel.querySelector('[data-field="title"]').textContent);
  const description = panel.querySelector('[data-meter-bar="description"]');
  description.style.width = `${Math.min(100, (Number(description.dataset.chars) / maxChars) * 100)}%`;
}
// The answer's editor sends an input event from its textarea on every change, so the
// form's listener above hears the answer as it hears the other fields.
// Loaded in the head with the admin's media: wait for the form.
document.addEventListener("DOMContentLoaded", startSnippetPreview);
