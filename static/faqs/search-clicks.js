/* The search results page: when a reader opens a result, tell the server which one
   (faqs/search_views_log.py counts it for the editors' "never opened" report). A
   beacon does not hold up the navigation; without JavaScript, or without
   sendBeacon, the results are plain links and nothing is counted. */
(function () {
  "use strict";

  var script = document.currentScript;
  var list = document.querySelector("ol.search-results[data-query]");
  if (!script || !script.dataset.endpoint || !list || !navigator.sendBeacon) {
    return;
  }

  function count(event) {
    // A left click (or Enter), or a middle click that opens a new tab.
    if (event.type === "auxclick" && event.button !== 1) {
      return;
    }
    var link = event.target.closest("a[data-question-id]");
    if (!link || !list.contains(link)) {
      return;
    }
    var data = new URLSearchParams();
    data.set("query", list.dataset.query);
    data.set("question", link.dataset.questionId);
    navigator.sendBeacon(script.dataset.endpoint, data);
  }

  list.addEventListener("click", count);
  list.addEventListener("auxclick", count);
})();
