// Behaviour the pages used to write inline (onchange=, onsubmit=): the Content-Security-Policy allows
// scripts from our own files only, so pages mark elements with data- attributes and load this file, which acts
// on them. (Not in base.html: pages that need no script, like the public car-park list, stay script-free.)
(function () {
  "use strict";

  // <select data-autosubmit> (or an input): choosing a value submits its form, as a filter would.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof Element && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });

  // <form data-confirm="question">: ask before sending.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    }
  });
})();
