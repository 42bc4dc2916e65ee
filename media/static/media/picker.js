// The answer editor's image picker (media/picker.py), in the popup the editor's Insert
// figure dialog opens (Browse...). A picked image goes back as CKEditor's file browsers
// hand one back, which django-prose-editor's Figure reads:
// opener.CKEDITOR.tools.callFunction(funcNum, url, {id, alternative_text, caption}),
// then the popup closes. After an upload, the new image (data-chosen) is picked at once.
// Opened any other way, a pick says why nothing happens instead of failing silently.
"use strict";
(function () {
  const picker = document.querySelector(".media-picker");
  if (!picker) return;
  const funcNum = picker.dataset.funcNum;
  const status = picker.querySelector(".media-picker-status");

  // The opener's CKEDITOR.tools, or null: no opener, closed, another site's (reading
  // it throws), or a page without the editor.
  function editorTools() {
    try {
      const opener = window.opener;
      if (!opener || opener.closed || !opener.CKEDITOR || !opener.CKEDITOR.tools) return null;
      return typeof opener.CKEDITOR.tools.callFunction === "function" ? opener.CKEDITOR.tools : null;
    } catch (error) {
      return null;
    }
  }

  function explain(button) {
    status.textContent =
      "This window was not opened from the answer editor, so the image cannot be inserted from here. " +
      "Use Browse... in the editor's Insert figure dialog. The image's address: " + button.dataset.url;
  }

  function pick(button) {
    const tools = editorTools();
    if (!funcNum || !tools) {
      explain(button);
      return;
    }
    tools.callFunction(Number(funcNum), button.dataset.url, {
      id: Number(button.dataset.id),
      alternative_text: button.dataset.alt,
      caption: button.dataset.caption,
    });
    window.close();
  }

  picker.addEventListener("click", (event) => {
    const button = event.target.closest("button.media-pick");
    if (button) pick(button);
  });
  const chosen = picker.querySelector("button.media-pick[data-chosen]");
  if (chosen) pick(chosen);
})();
