// The registration page: filter the organisation list as one types; show the
// proposal of a new organisation only when it is asked for.
(function () {
  "use strict";
  var filter = document.getElementById("organisation-filter");
  var select = document.getElementById("id_organisation");
  var fold = function (text) {
    return text.toLocaleLowerCase("tr").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/ı/g, "i");
  };
  select.size = 8;
  filter.addEventListener("input", function () {
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var text = fold(option.text);
      var shown = !option.value || words.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !shown;
      if (shown && option.value && first === null) { first = option; }
    });
    if (first && (select.selectedIndex < 1 || select.options[select.selectedIndex].hidden)) { first.selected = true; }
  });
  var box = document.getElementById("id_new_organisation");
  var proposal = document.getElementById("proposal");
  var sync = function () { proposal.hidden = !box.checked; select.disabled = box.checked; filter.disabled = box.checked; };
  box.addEventListener("change", sync);
  sync();
})();
