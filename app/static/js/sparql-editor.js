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
  window.izaYasgui = yasgui;
})();
