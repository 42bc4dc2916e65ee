// The image change form's focal point picker (media/admin.py): a click on the picture
// writes the point into the two fields, and a marker shows where it is.
"use strict";
(function () {
  const picker = document.querySelector(".media-focal-picker");
  const fieldX = document.querySelector(".media-focal-x");
  const fieldY = document.querySelector(".media-focal-y");
  if (!picker || !fieldX || !fieldY) return;
  const marker = picker.querySelector(".media-focal-marker");

  function show() {
    marker.hidden = false;
    marker.style.left = `${Number(fieldX.value) * 100}%`;
    marker.style.top = `${Number(fieldY.value) * 100}%`;
  }

  picker.addEventListener("click", (event) => {
    const box = picker.querySelector("img").getBoundingClientRect();
    const round = (value) => Math.min(1, Math.max(0, Math.round(value * 100) / 100));
    fieldX.value = round((event.clientX - box.left) / box.width);
    fieldY.value = round((event.clientY - box.top) / box.height);
    show();
  });
  fieldX.addEventListener("input", show);
  fieldY.addEventListener("input", show);
  show();
})();
