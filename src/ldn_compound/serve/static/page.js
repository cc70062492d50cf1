// ldn_compound page: a little help on top of plain forms, which work without it.
"use strict";
(function () {
  function sync(form) {
    // Show only the inputs of the ladder and device chosen.
    var chosen = [];
    form.querySelectorAll("select[name=ladder], select[name=device]").forEach(function (s) {
      chosen.push(s.value);
    });
    form.querySelectorAll("[data-group]").forEach(function (div) {
      var inGroup = div.getAttribute("data-group");
      var known = Array.prototype.some.call(form.querySelectorAll("option"), function (o) {
        return o.textContent === inGroup;
      });
      div.hidden = known && chosen.indexOf(inGroup) < 0;
    });
  }
  document.querySelectorAll("form.calc").forEach(function (form) {
    form.addEventListener("change", function () { sync(form); });
    sync(form);
  });
  document.querySelectorAll("button.print").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      // the print stylesheet shows the label sheet (or the record) only while this class is set
      document.body.classList.add(b.getAttribute("data-print") || "print-labels");
      window.print();
    });
  });
  window.addEventListener("afterprint", function () {
    document.body.classList.remove("print-labels", "print-record");
  });
  var invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) { invalid.focus(); }
})();
