/* The progress page of a bulk workflow action in the worker: polls its status and reloads when the
   state changes (done, failed, interrupted). A static file, so the Content-Security-Policy can
   refuse inline script. */
(function () {
  "use strict";
  var box = document.getElementById("bulk-progress");
  if (!box || box.dataset.state === "done" || box.dataset.state === "failed") return;
  var timer = setInterval(function () {
    fetch(box.dataset.status, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      document.getElementById("bulk-bar").style.width = s.percent + "%";
      if (s.state !== box.dataset.state) { clearInterval(timer); location.reload(); }
    });
  }, 1500);
})();
