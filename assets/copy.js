"use strict";
// The copy buttons: shown only where the Clipboard API is (secure contexts); a click copies
// the button's address, or selects the address text when copying is refused.
if (navigator.clipboard) {
  for (const b of document.querySelectorAll("button.copy")) {
    b.hidden = false;
    b.addEventListener("click", function () {
      const done = function (text) {
        b.textContent = text;
        setTimeout(function () { b.textContent = "Copy"; }, 2000);
      };
      navigator.clipboard.writeText(b.dataset.url).then(function () { done("Copied"); }, function () {
        const r = document.createRange();
        r.selectNodeContents(b.previousElementSibling);
        const s = getSelection();
        s.removeAllRanges();
        s.addRange(r);
        done("Press Ctrl+C");
      });
    });
  }
}
