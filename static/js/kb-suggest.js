// The new-ticket form: as the member types the subject (after a pause) or chooses a
// category, ask the knowledge base for matching articles and list them beside the
// form. Without this script the "search the help first" link leads to the same list.
(function () {
  "use strict";
  var box = document.getElementById("kb-suggestions");
  var subject = document.getElementById("id_subject");
  var category = document.getElementById("id_category");
  if (!box || !subject) { return; }
  var list = box.querySelector("ul");
  var timer = null;
  var asked = "";

  function show(results) {
    list.replaceChildren.apply(list, results.map(function (row) {
      var item = document.createElement("li");
      item.className = "list-group-item";
      var link = document.createElement("a");
      link.href = row.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = row.title;
      var where = document.createElement("div");
      where.className = "small text-body-secondary";
      where.textContent = row.category;
      item.append(link, where);
      return item;
    }));
    list.hidden = results.length === 0;
  }

  function ask() {
    var text = subject.value.trim();
    var chosen = category ? category.value : "";
    var key = text + "\n" + chosen;
    if (key === asked) { return; }
    asked = key;
    if (text.length < 2) { show([]); return; }
    var url = box.dataset.suggest + "?q=" + encodeURIComponent(text) +
      "&category=" + encodeURIComponent(chosen);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (key === asked) { show(data.results); } })
      .catch(function () { /* offline: the link to the help still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  }

  subject.addEventListener("input", later);
  if (category) { category.addEventListener("change", ask); }
  if (subject.value) { ask(); }
})();
