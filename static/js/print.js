/* The print button of a printable page. It is hidden in the markup and shown only here, when
   JavaScript runs; without it, the browser's own Print command prints the same page. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
