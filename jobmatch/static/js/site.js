/* jobmatch: small enhancements; every page works without them. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* On a phone the navigation folds behind a menu button. */
  function menu() {
    var button = document.querySelector(".menu-button");
    var header = document.querySelector(".site-header");
    if (!button || !header) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  /* A table read on a phone becomes one card per row: each cell is labelled with its
     column's heading. */
  function labelCells() {
    /* a chart's rows stay rows: its bars shrink instead */
    document.querySelectorAll("main table:not(.chart)").forEach(function (table) {
      var heads = table.querySelectorAll("thead tr:last-child th");
      if (!heads.length) return;
      var names = [];
      heads.forEach(function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (names[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        });
      });
      table.classList.add("stacks");
    });
  }

  /* What folds away on a phone (search filters, the reasons of a match) stays open on a
     wider screen. */
  function openWide() {
    if (!window.matchMedia("(min-width: 641px)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }

  /* A long page in parts (a counsellor's case) shows one part at a time: the one the
     address names (a part, or something inside one, such as the match just acted on). */
  function caseParts() {
    var nav = document.querySelector(".case-tabs");
    if (!nav) return;
    var parts = Array.prototype.slice.call(document.querySelectorAll(".case-part"));
    var links = Array.prototype.slice.call(nav.querySelectorAll("a[href^='#']"));
    function show() {
      var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
      var part = target && target.closest(".case-part");
      if (!part) part = parts[0];
      parts.forEach(function (p) { p.hidden = p !== part; });
      links.forEach(function (a) {
        if (a.getAttribute("href") === "#" + part.id) a.setAttribute("aria-current", "true");
        else a.removeAttribute("aria-current");
      });
      if (target && target !== part) target.scrollIntoView();
    }
    nav.classList.add("tabs");
    window.addEventListener("hashchange", show);
    show();
  }

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  menu();
  labelCells();
  openWide();
  caseParts();
})();
