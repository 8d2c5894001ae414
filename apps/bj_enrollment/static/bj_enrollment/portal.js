/* Parent portal behaviour, kept out of the pages so the Content-Security-Policy can refuse inline script. */
(function () {
  "use strict";

  // Registration (R8): the notice stays on screen for a while before "I have read" can be ticked;
  // the server checks the time too. The seconds come from the page's data-notice-seconds.
  function noticeCountdown() {
    var holder = document.querySelector("[data-notice-seconds]");
    var box = document.querySelector("#field-notice_read input");
    if (!holder || !box || box.checked) return;
    var label = box.parentNode.querySelector("span"), text = label.textContent;
    var left = parseInt(holder.dataset.noticeSeconds, 10) || 0;
    if (left <= 0) return;
    box.disabled = true;
    label.textContent = text + " (" + left + ")";
    var timer = setInterval(function () {
      left -= 1;
      label.textContent = left > 0 ? text + " (" + left + ")" : text;
      if (left <= 0) { box.disabled = false; clearInterval(timer); }
    }, 1000);
  }

  // Details: only what applies is shown, guardian 2 unless single guardian, the property for an owned home.
  function detailsSections() {
    var guardian2 = document.getElementById("guardian-2"), property = document.getElementById("property");
    if (!guardian2 || !property) return;
    var single = document.getElementById("id_residence-single_guardian");
    var housing = document.getElementById("id_residence-housing_type");
    var filled = document.getElementById("id_property-certificate_number");
    function sync() {
      guardian2.hidden = Boolean(single && single.checked);
      property.hidden = !(housing && housing.value === "owned") && !(filled && filled.value);
    }
    if (single) single.addEventListener("change", sync);
    if (housing) housing.addEventListener("change", sync);
    sync();
  }

  noticeCountdown();
  detailsSections();
})();
