// aidledger: small conveniences on top of pages that work without JavaScript.
// - Buttons with data-confirm ask before submitting (locking a period, rejecting money).
// - The first field with an error gets the focus, so a keyboard user lands on it.
// - A table too wide for the screen (one not stacked on a phone) scrolls inside its frame;
//   that frame takes the keyboard focus so it can be scrolled without a mouse.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
document.addEventListener("DOMContentLoaded", function () {
  var invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) {
    invalid.focus();
  }
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth) {
      wrap.setAttribute("tabindex", "0");
    }
  });
});
