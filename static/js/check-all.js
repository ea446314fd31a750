/* "Select all" on the invitation list: ticks every box that may be ticked. */
document.addEventListener("change", function (event) {
  if (!event.target.matches("[data-ap-check-all]")) return;
  document.querySelectorAll("#invite-students input[name=students]:not(:disabled)").forEach(function (box) { box.checked = event.target.checked; });
});
