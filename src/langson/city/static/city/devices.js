// The device page's live part: asks the server for its fresh HTML every few seconds and swaps it in, so
// the technician sees a command's state and the lamp's report without reloading. No library.
(function () {
  document.querySelectorAll("[data-poll-url]").forEach(function (box) {
    var every = parseInt(box.dataset.pollMs, 10) || 3000;
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) return;
      busy = true;
      fetch(box.dataset.pollUrl, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null && html !== box.innerHTML) box.innerHTML = html; })
        .catch(function () {})
        .then(function () { busy = false; });
    }, every);
  });
})();
