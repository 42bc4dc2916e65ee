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
      <input id="${id}" type="search" placeholder="Search published questions by title">
      <ul id="${id}-list" aria-label="Questions to link to"></ul>
      <p class="link-picker-status" aria-live="polite"></p>`;
    const input = box.querySelector("input");
    const status = box.querySelector(".link-picker-status");
    window.certfaqCombobox({
      input,
      list: box.querySelector("ul"),
      status,
      emptyText: "No published question has these words in its title.",
      label: (target) => target.title,
      async search(query) {
        const response = await fetch(`${endpoint}?q=${encodeURIComponent(query.trim())}`, { credentials: "same-origin" });
        return response.ok ? (await response.json()).results : [];
      },
      choose(target) {
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
      },
    });
    (textarea.closest(".prose-editor") || textarea.parentElement).append(box);
  }

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    // The editable area is a textbox of its own: give it the field's label.
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    if (label) {
      label.id = label.id || `${textarea.id}-label`;
      editor.view.dom.setAttribute("aria-labelledby", label.id);
    }
    picker(editor, textarea);
  });
})();
