/* "Print" buttons (button[data-print]) open the browser's print dialog. The CSP forbids
   inline handlers, so this file wires them; without it the buttons stay hidden. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
}());
