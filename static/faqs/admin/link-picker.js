// "Link to a question": a search box under the answer's editor that finds published
// questions by title and links the selected words (or inserts the title) to one.
// Internal links are what this site lives on, so they are one search away.
"use strict";
(function () {
  let counter = 0;

  function picker(editor, textarea) {
    const endpoint = textarea.dataset.linkTargets;
    if (!endpoint) return;
    const id = `link-picker-${++counter}`;
    const box = document.createElement("div");
    box.className = "link-picker";
    box.innerHTML = `<label for="${id}">Link to a question</label>
      <input id="${id}" type="search" autocomplete="off" placeholder="Search published questions by title"
        role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="${id}-list">
      <ul id="${id}-list" role="listbox" aria-label="Questions to link to" hidden></ul>
      <p class="link-picker-status" aria-live="polite"></p>`;
    const input = box.querySelector("input");
    const list = box.querySelector("ul");
    const status = box.querySelector(".link-picker-status");
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
      if (index >= 0) input.setAttribute("aria-activedescendant", `${id}-option-${index}`);
    }

    function show(found) {
      results = found;
      list.replaceChildren(...found.map((result, index) => {
        const item = document.createElement("li");
        item.id = `${id}-option-${index}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = result.title;
        item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(index); });
        return item;
      }));
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", String(found.length > 0));
      status.textContent = found.length ? "" : "No published question has these words in its title.";
      highlight(found.length ? 0 : -1);
    }

    function choose(index) {
      const target = results[index];
      if (!target) return;
      const chain = editor.chain().focus();
      if (editor.state.selection.empty) {
        chain.insertContent({ type: "text", text: target.title, marks: [{ type: "link", attrs: { href: target.url } }] })
          .unsetMark("link").insertContent(" ");
      } else {
        chain.extendMarkRange("link").setLink({ href: target.url });
      }
      chain.run();
      status.textContent = `Linked to “${target.title}”.`;
      input.value = "";
      close();
    }

    async function search() {
      const query = input.value.trim();
      if (!query) { close(); status.textContent = ""; return; }
      const response = await fetch(`${endpoint}?q=${encodeURIComponent(query)}`, { credentials: "same-origin" });
      if (response.ok && input.value.trim() === query) show((await response.json()).results);
    }

    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 200); });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && results.length) { event.preventDefault(); highlight((active + 1) % results.length); }
      else if (event.key === "ArrowUp" && results.length) { event.preventDefault(); highlight((active - 1 + results.length) % results.length); }
      else if (event.key === "Enter") { event.preventDefault(); if (!list.hidden) choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", close);
    const container = textarea.closest(".prose-editor") || textarea.parentElement;
    container.append(box);
  }

  document.addEventListener("prose-editor:ready", (event) => {
    picker(event.detail.editor, event.detail.textarea);
  });
})();
