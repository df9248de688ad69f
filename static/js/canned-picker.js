// The reply form's canned replies (canned/): the link to the no-script page becomes a
// list to pick from; the text goes into the form whose action it takes (reply, request
// information, resolve), ready to be read, changed and sent.
(function () {
  "use strict";
  var picker = document.querySelector(".canned-picker[data-source]");
  if (!picker || !window.fetch) { return; }
  var link = picker.querySelector("a");
  window.fetch(picker.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { results: [] }; })
    .then(function (data) {
      if (!data.results.length) { return; }
      var id = "canned-select";
      var label = document.createElement("label");
      label.className = "form-label small";
      label.htmlFor = id;
      label.textContent = link.textContent;
      var select = document.createElement("select");
      select.className = "form-select form-select-sm";
      select.id = id;
      var empty = document.createElement("option");
      empty.value = "";
      empty.textContent = "—";
      select.appendChild(empty);
      data.results.forEach(function (choice, index) {
        var option = document.createElement("option");
        option.value = String(index);
        option.textContent = choice.title + " (" + choice.language_name + " · " + choice.action_name + ")";
        select.appendChild(option);
      });
      var status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      select.addEventListener("change", function () {
        var choice = data.results[Number(select.value)];
        if (!select.value || !choice) { return; }
        var form = document.getElementById(choice.form + "-form");
        if (!form || !form.elements[choice.field]) { return; }
        var card = document.getElementById(choice.form + "-card");
        if (card && card.tagName === "DETAILS") { card.open = true; }
        var field = form.elements[choice.field];
        field.value = choice.body;
        if (form.elements.internal) { form.elements.internal.checked = false; }
        status.textContent = choice.title + ": " + choice.action_name;
        if (choice.form !== "reply") {
          field.scrollIntoView({ block: "center" });
          field.focus();
        }
      });
      picker.textContent = "";
      picker.appendChild(label);
      picker.appendChild(select);
      picker.appendChild(status);
    })
    .catch(function () { /* the link to the no-script page stays */ });
})();
