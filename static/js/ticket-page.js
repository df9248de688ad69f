// The ticket's page: the action log folds on a phone (the conversation above says it
// already), and a handler's keyboard shortcuts, listed on "?". Single keys never fire
// while the cursor is in a text field, and can be switched off in the list (WCAG 2.1.4).
(function () {
  "use strict";
  var log = document.querySelector("details.action-log");
  if (log && window.matchMedia("(max-width: 991.98px)").matches) { log.open = false; }

  var page = document.getElementById("ticket-page");
  var dialog = document.getElementById("shortcuts-dialog");
  if (!page || page.dataset.shortcuts !== "on" || !dialog) { return; }
  var toggle = document.getElementById("shortcuts-enabled");
  var status = document.getElementById("shortcuts-status");
  var me = document.getElementById("shortcuts-me").dataset.user;
  var STORE = "helpdesk.shortcuts";
  // Screen readers announce each shortcut on the field or button it leads to.
  [["#reply-form [name=body]", "r n"], ["#resolve-form [name=explanation]", "s"],
    ["#assign-form [type=submit]", "a"], ["#shortcuts-open", "Shift+?"]].forEach(function (pair) {
    var target = document.querySelector(pair[0]);
    if (target) { target.setAttribute("aria-keyshortcuts", pair[1]); }
  });

  function enabled() {
    try { return window.localStorage.getItem(STORE) !== "off"; } catch (e) { return true; }
  }
  toggle.checked = enabled();
  toggle.addEventListener("change", function () {
    try { window.localStorage.setItem(STORE, toggle.checked ? "on" : "off"); } catch (e) { /* private mode */ }
  });
  document.getElementById("shortcuts-open").addEventListener("click", function () { dialog.showModal(); });

  function typing(target) {
    if (!target || !target.closest) { return false; }
    if (target.closest("textarea, select, [contenteditable]:not([contenteditable='false'])")) { return true; }
    return target.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset|file)$/.test(target.type);
  }
  function say(text) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 50); }
  function form(id) {
    var found = document.getElementById(id + "-form");
    if (!found) { return null; }
    var card = document.getElementById(id + "-card");
    if (card && card.tagName === "DETAILS") { card.open = true; }
    return found;
  }
  function focus(field) {
    field.scrollIntoView({ block: "center" });
    field.focus();
  }
  function write(internal) {
    var reply = form("reply");
    if (!reply) { return; }
    if (reply.elements.internal) { reply.elements.internal.checked = internal; }
    focus(reply.elements.body);
  }
  var actions = {
    j: function () { if (page.dataset.next) { window.location.href = page.dataset.next; } },
    k: function () { if (page.dataset.previous) { window.location.href = page.dataset.previous; } },
    r: function () { write(false); },
    n: function () { if (form("reply") && form("reply").elements.internal) { write(true); } },
    s: function () { var resolve = form("resolve"); if (resolve) { focus(resolve.elements.explanation); } },
    a: function () {
      var assign = form("assign");
      var select = assign && assign.elements.assignee;
      if (!select || !select.querySelector("option[value='" + me + "']")) {
        say(page.dataset.cannotAssign || "");
        return;
      }
      select.value = me;
      assign.requestSubmit();
    }
  };
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) { return; }
    if (dialog.open || typing(event.target)) { return; }
    if (event.key === "?") {
      event.preventDefault();
      dialog.showModal();
      return;
    }
    var action = enabled() && actions[event.key];
    if (!action) { return; }
    event.preventDefault();
    action();
  });
})();
