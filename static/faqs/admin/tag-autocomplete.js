// The tags box ("retake, cma") suggests existing tags for the name being typed, so
// the same subject is not tagged three ways.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const input = document.querySelector("input[data-tag-suggestions]");
  if (!input) return;
  const list = document.createElement("ul");
  list.id = `${input.id}-suggestions`;
  list.className = "tag-suggestions";
  list.setAttribute("aria-label", "Existing tags");
  const wrapper = document.createElement("div");
  wrapper.className = "tag-autocomplete";
  input.replaceWith(wrapper);
  wrapper.append(input, list);

  const typed = () => input.value.split(",").pop().trim();
  window.certfaqCombobox({
    input,
    list,
    label: (tag) => `${tag.name} (${tag.questions})`,
    async search() {
      const name = typed();
      if (!name) return [];
      const response = await fetch(`${input.dataset.tagSuggestions}?q=${encodeURIComponent(name)}`, { credentials: "same-origin" });
      return response.ok ? (await response.json()).results : [];
    },
    choose(tag) {
      const names = input.value.split(",").slice(0, -1).map((name) => name.trim()).filter(Boolean);
      names.push(tag.name.includes(" ") || tag.name.includes(",") ? `"${tag.name.replaceAll('"', "")}"` : tag.name);
      input.value = `${names.join(", ")}, `;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.focus();
    },
  });
});
