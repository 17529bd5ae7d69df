// The SPARQL editor: YASGUI (served from /static/vendor/yasgui/, never from a CDN) on the app's own
// /sparql endpoint, with the named queries of queries/ loadable by name. Nothing here talks to any
// other host: autocompleters that call prefix.cc or LOV are switched off.
(function () {
  "use strict";
  var saved = JSON.parse(document.getElementById("saved-queries").textContent);
  var byName = {};
  saved.forEach(function (q) { byName[q.name] = q; });
  var endpoint = window.location.origin + "/sparql";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    yasqe: { autocompleters: ["variables"], resizeable: true },
    yasr: { defaultPlugin: "table", prefixes: {} }
  });
  var tab = yasgui.getTab();
  tab.setEndpoint(endpoint);
  var select = document.getElementById("saved-query");
  function load() {
    var query = byName[select.value];
    if (query) {
      yasgui.getTab().setQuery(query.query);
      yasgui.getTab().setName(query.name);
    }
  }
  document.getElementById("load-query").addEventListener("click", load);
  if (!tab.getQuery() || /^\s*PREFIX rdf:.*\n*SELECT \* WHERE \{\s*\?sub \?pred \?obj/.test(tab.getQuery())) { load(); }
  // YASGUI's own markup lacks a few labels and roles; add them so the editor is usable with a screen
  // reader and keyboard (and passes axe), each time YASGUI redraws.
  var labels = document.getElementById("yasgui").dataset;
  function patch() {
    document.querySelectorAll("#yasgui input.autocomplete:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", labels.endpointLabel);
    });
    document.querySelectorAll("#yasgui .CodeMirror textarea:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", labels.queryLabel);
    });
    document.querySelectorAll("#yasgui select:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", el.classList.contains("tableSizer") ? labels.rowsLabel : labels.optionLabel);
    });
    document.querySelectorAll("#yasgui .CodeMirror-scroll[tabindex='-1']").forEach(function (el) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("aria-label", labels.queryLabel);
    });
  }
  patch();
  new MutationObserver(patch).observe(document.getElementById("yasgui"), { childList: true, subtree: true });
  window.izaYasgui = yasgui;
})();
