// k8slint report: filter the findings by words, rule and severity; plain JS, no network.
// The page's address may carry a filter to start with: report.html#filter=WORDS
(function () {
  "use strict";
  var text = document.getElementById("filter-text");
  var rule = document.getElementById("filter-rule");
  var levels = Array.prototype.slice.call(document.querySelectorAll(".filter-sev"));
  var count = document.getElementById("filter-count");
  var groups = Array.prototype.slice.call(document.querySelectorAll("details.rg"));
  var total = document.querySelectorAll("details.rg li").length;
  groups.forEach(function (group) { group.dataset.wasOpen = group.open ? "1" : ""; });

  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var only = rule.value;
    var allowed = {};
    levels.forEach(function (box) { allowed[box.value] = box.checked; });
    var filtering = words.length > 0 || only !== "" || levels.some(function (box) { return !box.checked; });
    var shown = 0;
    groups.forEach(function (group) {
      var inGroup = 0;
      var ruleOk = !only || only === group.dataset.rule;
      var heading = null;
      Array.prototype.forEach.call(group.children, function (element) {
        if (element.tagName === "H4") { heading = element; return; }
        if (element.tagName !== "UL") { return; }
        var inFile = 0;
        var where = (group.dataset.rule + " " + heading.textContent).toLowerCase();
        Array.prototype.forEach.call(element.children, function (item) {
          var ok = ruleOk && allowed[item.className.charAt(0)] !== false;
          if (ok && words.length) {
            var haystack = where + " " + item.textContent.toLowerCase();
            ok = words.every(function (word) { return haystack.indexOf(word) !== -1; });
          }
          item.hidden = !ok;
          if (ok) { inFile += 1; }
        });
        heading.hidden = element.hidden = inFile === 0;
        inGroup += inFile;
      });
      group.hidden = inGroup === 0;
      group.open = filtering ? inGroup > 0 : group.dataset.wasOpen === "1";
      shown += inGroup;
    });
    count.textContent = filtering ? shown + " of " + total + " findings" : "";
  }

  text.addEventListener("input", apply);
  rule.addEventListener("change", apply);
  levels.forEach(function (box) { box.addEventListener("change", apply); });
  var start = /^#filter=(.*)$/.exec(window.location.hash);
  if (start) {
    text.value = decodeURIComponent(start[1]);
    apply();
  }
})();
