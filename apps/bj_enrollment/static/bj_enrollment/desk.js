/* Desk behaviour of our own pages (Unfold loads this on every desk page), kept out of the templates
   so the Content-Security-Policy can refuse inline script and event-handler attributes. */
(function () {
  "use strict";

  // <button data-confirm="Question?">: asks before its form is sent.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  // <select data-autosubmit>: choosing sends the form (the statistics' campaign).
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
  });

  // The lottery run's panel follows a draw in the worker and reloads when its state changes.
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("lottery-panel");
    if (!panel || !panel.dataset.working) return;
    var timer = setInterval(function () {
      fetch(panel.dataset.status, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
        document.getElementById("lottery-progress").style.width = s.progress + "%";
        document.getElementById("lottery-state").textContent = s.label + " · " + s.progress + "%";
        if (s.state !== panel.dataset.state) { clearInterval(timer); location.reload(); }
      });
    }, 2000);
  });
})();
