// Every page: a form that came back with errors puts the cursor on the first wrong
// field, so that a screen reader reads its label and its message (tied by
// aria-describedby); a table wider than a phone scrolls sideways, and without a link
// inside, only focus lets a keyboard scroll it.
(function () {
  "use strict";
  var field = document.querySelector("main .is-invalid");
  if (field) { field.focus(); }
  document.querySelectorAll(".table-responsive").forEach(function (region) {
    if (region.scrollWidth > region.clientWidth && !region.querySelector("a[href], button, input, select, textarea")) {
      region.tabIndex = 0;
    }
  });
})();
