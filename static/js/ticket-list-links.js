// The list: a ticket opened from it carries the list's query string (`?list=`), so
// that its page offers the next and previous tickets of this very list, in its order.
(function () {
  "use strict";
  var TICKET = /^\/tickets\/\d+\/$/;
  function carry(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || !TICKET.test(link.getAttribute("href"))) { return; }
    link.setAttribute("href", link.getAttribute("href") + "?list=" +
      encodeURIComponent(window.location.search.replace(/^\?/, "")));
  }
  // Before the browser follows the link, whichever way it is opened.
  document.addEventListener("click", carry, true);
  document.addEventListener("auxclick", carry, true);
})();
