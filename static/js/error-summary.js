// After an invalid submit the page opens on its error summary (templates/includes/error_summary.html):
// focus moves to it, so a screen reader reads it and the keyboard starts there. Each link moves focus to
// its field (or the first control of a group of choices), scrolled into view with its label.
(function () {
  "use strict";
  function focusTarget(summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) return;
      var control = target.matches("input, select, textarea, button")
        ? target : target.querySelector("input:not([type=hidden]), select, textarea, button");
      if (!control) return;
      event.preventDefault();
      var label = (control.id && document.querySelector("label[for='" + control.id + "']")) || target.closest("fieldset") || control;
      label.scrollIntoView({block: "start"});
      control.focus({preventScroll: true});
    });
  }
  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.dataset.errorSummaryReady = "1";
    focusTarget(summary);
    summary.focus();
  }
  // A form fragment htmx swapped in with its errors: the same, inside the new content.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail && event.detail.elt;
    var summary = root && (root.matches("[data-error-summary]") ? root : root.querySelector("[data-error-summary]"));
    if (summary && !summary.dataset.errorSummaryReady) { summary.dataset.errorSummaryReady = "1"; focusTarget(summary); summary.focus(); }
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
