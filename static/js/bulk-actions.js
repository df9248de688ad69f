// The list's bulk actions: show only the chosen action's fields, and tick or untick
// every ticket of the page at once. Without this script every field is shown and the
// server ignores those of the other actions.
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var action = document.getElementById("bulk-action");
  var fields = form.querySelectorAll("[data-bulk-field]");

  function showChosen() {
    fields.forEach(function (field) {
      var shown = field.getAttribute("data-bulk-field") === action.value;
      field.hidden = !shown;
      field.querySelectorAll("select, textarea, input").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  }
  action.addEventListener("change", showChosen);
  showChosen();

  var all = document.getElementById("bulk-all");
  var boxes = document.querySelectorAll("input[name='ids'][form='bulk-form']");
  if (all && boxes.length) {
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  }
})();
