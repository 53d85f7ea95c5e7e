// Server push: the feed is re-rendered by the server whenever an alert changes; no reload, no library.
// (Moved out of the page: the Content-Security-Policy runs no inline script.) The fetch is marked as the
// page's own, so it does not count as the person's activity for the session's idle timeout.
(function () {
  "use strict";
  var feed = document.getElementById("alert-feed");
  if (!window.EventSource || !feed) { return; }
  var source = new EventSource(feed.dataset.streamUrl);
  source.addEventListener("alerts", function () {
    fetch(feed.dataset.feedUrl, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { feed.innerHTML = html; } });
  });
})();
