// The upload page's drop zone (media/admin.py): files dropped on it go into its file
// input, as if chosen, and their names are listed. The form then posts them all at
// once; without script the input still takes several files.
"use strict";
(function () {
  const zone = document.querySelector(".media-drop-zone");
  if (!zone) return;
  const input = zone.querySelector('input[type="file"]');
  const chosen = zone.querySelector(".media-chosen");

  function list() {
    chosen.replaceChildren();
    for (const file of input.files) {
      const item = document.createElement("li");
      item.textContent = `${file.name} (${Math.ceil(file.size / 1024)} KB)`;
      chosen.append(item);
    }
  }

  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("media-dragging");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, () => zone.classList.remove("media-dragging"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      list();
    }
  });
  input.addEventListener("change", list);
})();
