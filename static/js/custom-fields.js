// The new-ticket form shows only the custom fields of the chosen category (and kind);
// the server checks the chosen ones whatever is shown.
(function () {
  "use strict";
  var category = document.getElementById("id_category");
  var kind = document.getElementById("id_kind");
  if (!category) { return; }
  function wrapperOf(input) {
    return input.closest(".mb-3") || input.closest("fieldset") || input.parentElement;
  }
  function update() {
    var fields = document.querySelectorAll("[data-custom-category]");
    fields.forEach(function (input) {
      var forKind = input.getAttribute("data-custom-kind");
      var shown = input.getAttribute("data-custom-category") === category.value &&
        (!forKind || (kind && kind.value === forKind));
      wrapperOf(input).hidden = !shown;
    });
  }
  category.addEventListener("change", update);
  if (kind) { kind.addEventListener("change", update); }
  update();
})();
