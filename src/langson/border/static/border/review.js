// Review page: place each field's box over the page image in proportion to the image's natural size
// (the boxes are pixels of the page image the extraction read), and link boxes, rows and the form.
(function () {
  "use strict";

  // The boxes are positioned in the frame that holds exactly the image (not the caption under it).
  function place(figure) {
    var img = figure.querySelector("img");
    if (!img || !img.naturalWidth) { return; }
    var width = img.naturalWidth, height = img.naturalHeight;
    figure.querySelectorAll(".box[data-bbox]").forEach(function (box) {
      var b = box.getAttribute("data-bbox").split(",").map(Number);
      if (b.length !== 4 || b.some(isNaN)) { return; }
      box.style.left = (100 * b[0] / width) + "%";
      box.style.top = (100 * b[1] / height) + "%";
      box.style.width = (100 * Math.max(b[2] - b[0], 2) / width) + "%";
      box.style.height = (100 * Math.max(b[3] - b[1], 2) / height) + "%";
      box.hidden = false;
    });
  }

  function select(field) {
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
    document.querySelectorAll('[data-field="' + CSS.escape(field) + '"]').forEach(function (el) {
      if (el.matches(".box, tr.field-row")) { el.classList.add("active"); }
    });
    var choice = document.getElementById("id_field");
    if (choice) {
      choice.value = field;
      var row = document.querySelector('tr.field-row[data-field="' + CSS.escape(field) + '"]');
      var input = document.getElementById("id_value");
      if (input && row) { input.value = row.getAttribute("data-value") || ""; }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".doc-page").forEach(function (figure) {
      var img = figure.querySelector("img");
      if (!img) { return; }
      if (img.complete) { place(figure); }
      img.addEventListener("load", function () { place(figure); });
    });
    document.querySelectorAll(".box[data-field]").forEach(function (box) {
      box.addEventListener("click", function () { select(box.getAttribute("data-field")); });
    });
    document.querySelectorAll("button.pick[data-field]").forEach(function (button) {
      button.addEventListener("click", function () {
        select(button.getAttribute("data-field"));
        var form = document.getElementById("correction");
        if (form) {
          form.scrollIntoView({ block: "start" });
          var input = document.getElementById("id_value");
          if (input) { input.focus(); input.select(); }
        }
      });
    });
    var choice = document.getElementById("id_field");
    if (choice) {
      choice.addEventListener("change", function () { select(choice.value); });
    }
  });
})();
