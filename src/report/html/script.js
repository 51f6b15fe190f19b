// notelint report: sortable tables, filters and open/close-all. Everything
// it touches is already in the page; without it the report reads the same.
(function () {
  "use strict";
  var doc = document;
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function sortKey(cell) {
    var v = cell.getAttribute("data-sort");
    if (v !== null && v !== "" && !isNaN(Number(v))) return Number(v);
    return cell.textContent.trim().toLowerCase();
  }

  function sortTable(table, col, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    each(th.parentNode.cells, function (c) { if (c !== th) c.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortKey(a.cells[col]), y = sortKey(b.cells[col]);
      var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  each(doc.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead) return;
    each(table.tHead.rows[0].cells, function (th, col) {
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortTable(table, col, th); });
    });
  });

  function counter(id, shown, total, noun) {
    var el = doc.getElementById(id);
    if (el) el.textContent = shown === total ? total + " " + noun : shown + " of " + total + " " + noun;
  }

  var authorFilter = doc.getElementById("author-filter");
  var authorTable = doc.getElementById("author-table");
  if (authorFilter && authorTable) {
    var filterAuthors = function () {
      var q = authorFilter.value.trim().toLowerCase(), shown = 0, rows = authorTable.tBodies[0].rows;
      each(rows, function (r) {
        var hit = r.cells[0].textContent.toLowerCase().indexOf(q) !== -1;
        r.hidden = !hit;
        if (hit) shown++;
      });
      counter("author-count", shown, rows.length, "authors");
    };
    authorFilter.addEventListener("input", filterAuthors);
    filterAuthors();
  }

  var notes = doc.querySelectorAll("details.note");
  var codeFilter = doc.getElementById("code-filter");
  if (codeFilter) {
    var filterNotes = function () {
      var code = codeFilter.value, shown = 0;
      each(notes, function (n) {
        var hit = !code || (" " + n.getAttribute("data-codes") + " ").indexOf(" " + code + " ") !== -1;
        n.hidden = !hit;
        if (hit) shown++;
      });
      counter("note-count", shown, notes.length, "notes");
    };
    codeFilter.addEventListener("change", filterNotes);
    filterNotes();
  }
  var setAll = function (open) {
    return function () { each(notes, function (n) { if (!n.hidden) n.open = open; }); };
  };
  var openAll = doc.getElementById("open-all"), closeAll = doc.getElementById("close-all");
  if (openAll) openAll.addEventListener("click", setAll(true));
  if (closeAll) closeAll.addEventListener("click", setAll(false));

  // Print every note open; restore afterwards.
  var wasOpen = [];
  window.addEventListener("beforeprint", function () {
    wasOpen = [];
    each(doc.querySelectorAll("details"), function (d) { wasOpen.push(d.open); d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    each(doc.querySelectorAll("details"), function (d, i) { if (i < wasOpen.length) d.open = wasOpen[i]; });
  });

  // Open the note a link points at.
  var openTarget = function () {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && doc.getElementById(id);
    if (el && el.tagName === "DETAILS") el.open = true;
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();

  each(doc.querySelectorAll(".controls[hidden]"), function (c) { c.hidden = false; });
  doc.body.setAttribute("data-ready", "true");
})();
