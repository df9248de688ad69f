// The list's organisation field: as the user types, after a short pause, ask the
// site for matching names (those the user may filter by) and offer them in the
// field's datalist. Without this script the typed name filters just the same.
(function () {
  "use strict";
  var field = document.querySelector("input[data-suggest]");
  var options = field && document.getElementById(field.getAttribute("list"));
  if (!options) { return; }
  var timer = null;
  var asked = "";

  function show(results) {
    options.replaceChildren.apply(options, results.map(function (row) {
      var option = document.createElement("option");
      option.value = row.name;
      return option;
    }));
  }

  function ask() {
    var text = field.value.trim();
    if (text === asked) { return; }
    asked = text;
    if (!text) { show([]); return; }
    fetch(field.dataset.suggest + "?q=" + encodeURIComponent(text), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (text === asked) { show(data.results); } })
      .catch(function () { /* offline: the typed name still filters */ });
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 250);
  });
})();
