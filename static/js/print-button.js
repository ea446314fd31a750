/*
 * A "Print" button: [data-print] buttons are hidden until this script shows them (without JavaScript
 * the browser's own print command does the same), and print the page when pressed.
 */
(function () {
  "use strict";

  function wire(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      if (button.dataset.printWired) return;
      button.dataset.printWired = "1";
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSettle", function () { wire(document); });
})();
