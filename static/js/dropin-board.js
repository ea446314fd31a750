/*
 * The drop-in board: search as you type, and the 30-second refresh only while the board is on screen.
 * (A file, not inline script or an htmx filter expression: the CSP allows neither inline script nor eval.)
 */
var dropinPollPaused = false;
document.addEventListener("htmx:confirm", function (event) {
  // The poll asks nothing of the server while the tablet's screen is off or another tab is shown,
  // nor while the person has paused it (WCAG 2.2.2: updates in parallel with other content can be paused).
  if (event.target.matches("[data-poll-when-visible]") && (document.visibilityState !== "visible" || dropinPollPaused)) {
    event.preventDefault();
  }
});

// The pause button: pressed, nothing updates by itself until it is pressed again.
function dropinPollControl() {
  var control = document.querySelector("[data-poll-control]");
  if (!control || control.dataset.ready) return;
  control.dataset.ready = "1";
  control.hidden = false;
  var button = control.querySelector("[data-poll-pause]");
  button.setAttribute("aria-pressed", String(dropinPollPaused));
  button.addEventListener("click", function () {
    dropinPollPaused = !dropinPollPaused;
    button.setAttribute("aria-pressed", String(dropinPollPaused));
  });
}
document.addEventListener("DOMContentLoaded", dropinPollControl);
document.addEventListener("htmx:load", dropinPollControl);

// Search as you type: hide the rows that do not match (hiragana typed finds katakana readings).
document.addEventListener("input", function (event) {
  if (event.target.id !== "dropin-search") return;
  var toKatakana = function (text) {
    return text.normalize("NFKC").replace(/[\u3041-\u3096]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) + 0x60);
    }).toLowerCase();
  };
  var words = toKatakana(event.target.value).split(/\s+/).filter(Boolean);
  var shown = 0;
  document.querySelectorAll("#dropin-list > li").forEach(function (row) {
    var match = words.every(function (word) { return row.dataset.search.indexOf(word) !== -1; });
    row.hidden = !match;
    if (match) shown += 1;
  });
  document.getElementById("dropin-no-match").hidden = shown > 0;
});
