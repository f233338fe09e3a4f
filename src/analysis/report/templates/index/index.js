(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  var input = document.getElementById("zoek");
  var counter = document.getElementById("aantal");
  var none = document.getElementById("geen-resultaat");
  var items = Array.prototype.slice.call(document.querySelectorAll("li.rapport"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.groep"));
  items.forEach(function (li) { li.dataset.zoekFold = fold(li.dataset.zoek || li.textContent); });
  function apply() {
    var words = fold(input.value).split(" ").filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var hay = li.dataset.zoekFold;
      var hit = words.every(function (w) { return hay.indexOf(w) !== -1; });
      li.hidden = !hit;
      if (hit) { shown += 1; }
    });
    groups.forEach(function (section) {
      section.hidden = !section.querySelector("li.rapport:not([hidden])");
    });
    counter.textContent = shown + " van " + items.length + " rapporten";
    none.hidden = shown !== 0;
  }
  input.addEventListener("input", apply);
  apply();
})();
