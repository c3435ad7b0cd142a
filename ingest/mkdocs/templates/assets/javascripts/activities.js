/* The "All activities" table: sorting with tablesort (vendor/), filtering here.
   Runs on every page load, including Material's instant navigation (document$). */
(function () {
  function setup() {
    var table = document.querySelector(".ingest-activities table");
    if (!table || table.dataset.ingestReady) return;
    table.dataset.ingestReady = "1";
    if (window.Tablesort) new Tablesort(table);

    var filters = document.querySelector(".ingest-activity-filters");
    if (!filters) return;
    var text = filters.querySelector('[data-filter="text"]');
    var selects = filters.querySelectorAll("select[data-filter]");
    var count = filters.querySelector("[data-filter-count]");
    var empty = document.querySelector(".ingest-activity-filters__empty");
    var rows = table.tBodies[0].rows;

    function apply() {
      var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var ok = words.every(function (w) { return row.dataset.search.indexOf(w) !== -1; });
        selects.forEach(function (select) {
          if (select.value && row.dataset[select.dataset.filter] !== select.value) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown++;
      }
      count.textContent = shown + " of " + rows.length;
      if (empty) empty.hidden = shown !== 0;
    }
    text.addEventListener("input", apply);
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    apply();
  }
  if (window.document$) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
