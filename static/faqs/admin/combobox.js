// One small ARIA combobox (the WAI-ARIA pattern: listbox popup, arrow keys, Enter,
// Escape) shared by the admin's link picker and tag autocomplete.
"use strict";
window.certfaqCombobox = function ({ input, list, status, search, label, choose, emptyText }) {
  let results = [];
  let active = -1;
  let timer = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    active = index;
    list.querySelectorAll("li").forEach((item, position) => {
      item.setAttribute("aria-selected", String(position === index));
    });
    if (index >= 0) input.setAttribute("aria-activedescendant", `${list.id}-option-${index}`);
  }

  function pick(index) {
    const result = results[index];
    if (!result) return;
    close();
    choose(result);
  }

  function show(found) {
    results = found;
    list.replaceChildren(...found.map((result, index) => {
      const item = document.createElement("li");
      item.id = `${list.id}-option-${index}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = label(result);
      item.addEventListener("mousedown", (event) => { event.preventDefault(); pick(index); });
      return item;
    }));
    list.hidden = found.length === 0;
    input.setAttribute("aria-expanded", String(found.length > 0));
    if (status) status.textContent = found.length ? "" : emptyText;
    highlight(found.length ? 0 : -1);
  }

  async function run() {
    const query = input.value;
    const found = query.trim() ? await search(query) : [];
    if (input.value === query) show(found || []);
  }

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 200); });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && results.length;
    if (event.key === "ArrowDown" && open) { event.preventDefault(); highlight((active + 1) % results.length); }
    else if (event.key === "ArrowUp" && open) { event.preventDefault(); highlight((active - 1 + results.length) % results.length); }
    else if (event.key === "Enter" && open) { event.preventDefault(); pick(active); }
    else if (event.key === "Escape" && open) { event.preventDefault(); close(); }
  });
  input.addEventListener("blur", close);
  return { close };
};
