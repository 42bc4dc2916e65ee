// Unsaved changes survive a closed tab or a crash: while an editor types, the change
// form's fields are kept in this browser's localStorage and offered back the next
// time the form opens. A draft is forgotten once the admin reports a successful save.
// Leaving the form (closing the tab, following a link) with unsaved changes asks
// first, as WordPress's editor does; saving never asks.
"use strict";
(function () {
  const PREFIX = "certfaq:unsaved:";
  const SUBMITTED_FOR_MS = 10 * 60 * 1000;
  let answerEditor = null;

  function fieldsOf(form) {
    return Array.from(form.elements).filter((field) => field.name && !field.disabled &&
      field.name !== "csrfmiddlewaretoken" && !field.name.startsWith("_") &&
      ["text", "textarea", "select-one", "select-multiple", "checkbox", "url", "date", "time", "search"]
        .includes(field.type));
  }

  function valuesOf(form) {
    const values = {};
    for (const field of fieldsOf(form)) {
      if (field.type === "checkbox") values[field.name] = field.checked;
      else if (field.type === "select-multiple") values[field.name] = Array.from(field.selectedOptions, (o) => o.value);
      else values[field.name] = field.value;
    }
    return values;
  }

  function apply(form, values) {
    for (const field of fieldsOf(form)) {
      if (!(field.name in values)) continue;
      const value = values[field.name];
      if (field.type === "checkbox") field.checked = Boolean(value);
      else if (field.type === "select-multiple") {
        Array.from(field.options).forEach((option) => { option.selected = value.includes(option.value); });
      } else field.value = value;
      if (field.name === "content" && answerEditor) answerEditor.commands.setContent(value, { emitUpdate: true });
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function same(a, b) {
    return Object.keys(a).every((name) => JSON.stringify(a[name]) === JSON.stringify(b[name]));
  }

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (error) { return null; }
  }

  function forgetSubmittedDrafts() {
    // The admin said a save succeeded: the draft that was being submitted is saved now.
    if (!document.querySelector(".messagelist .success")) return;
    for (let index = localStorage.length - 1; index >= 0; index--) {
      const key = localStorage.key(index);
      const draft = key && key.startsWith(PREFIX) ? read(key) : null;
      if (draft && draft.submittedAt && Date.now() - draft.submittedAt < SUBMITTED_FOR_MS) localStorage.removeItem(key);
    }
  }

  function offer(form, key, draft) {
    const when = new Date(draft.savedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    const banner = document.createElement("div");
    banner.className = "unsaved-draft";
    banner.setAttribute("role", "status");
    banner.innerHTML = '<p></p><button type="button" class="button default" data-restore>Restore</button> ' +
      '<button type="button" class="button" data-discard>Discard</button>';
    banner.querySelector("p").textContent = `Restore unsaved changes from ${when}?`;
    banner.querySelector("[data-restore]").addEventListener("click", () => {
      apply(form, draft.values);
      banner.remove();
    });
    banner.querySelector("[data-discard]").addEventListener("click", () => {
      localStorage.removeItem(key);
      banner.remove();
    });
    form.prepend(banner);
  }

  function keep(form) {
    const key = PREFIX + location.pathname;
    const stored = valuesOf(form);
    const draft = read(key);
    if (draft && draft.values && !same(draft.values, stored) && !document.querySelector(".errornote")) {
      offer(form, key, draft);
    }
    let timer = null;
    const save = () => {
      const values = valuesOf(form);
      if (same(values, stored)) return;
      try { localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), values })); } catch (error) { /* full */ }
    };
    let submitting = false;
    window.addEventListener("beforeunload", (event) => {
      if (submitting || same(valuesOf(form), stored)) return;
      event.preventDefault();
      event.returnValue = "";  // what older browsers need to ask
    });
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(save, 500); });
    form.addEventListener("submit", () => {
      submitting = true;
      clearTimeout(timer);
      const values = valuesOf(form);
      try { localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), submittedAt: Date.now(), values })); }
      catch (error) { /* full */ }
    });
  }

  document.addEventListener("prose-editor:ready", (event) => {
    if (event.detail.textarea.name === "content") answerEditor = event.detail.editor;
  });
  document.addEventListener("DOMContentLoaded", () => {
    forgetSubmittedDrafts();
    const form = document.querySelector("#question_form");
    if (form) keep(form);
  });
})();
