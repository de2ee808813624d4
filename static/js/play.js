// Progressive enhancement for the play pages: the plain forms work without this file.
// On a long conversation, bring the newest message and the question into view, and move
// keyboard focus to the question (or to the feedback heading after answering).
(function () {
  "use strict";
  var target = document.querySelector("[data-play-focus]");
  if (!target) {
    return;
  }
  if (!target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
  }
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  // Never move the page under a reader who has already started: a tap that lands while the
  // page scrolls would tick another option, or nothing.
  var started = false;
  ["pointerdown", "touchstart", "keydown", "wheel"].forEach(function (type) {
    window.addEventListener(type, function () { started = true; }, { capture: true, passive: true, once: true });
  });
  // Scroll only once the page has been painted: a scroll before the first paint hides the
  // page's largest paint from the browser (Lighthouse then reports no LCP at all).
  function reveal() {
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () {
        if (!started) {
          target.scrollIntoView({ block: "center", behavior: reduce ? "auto" : "smooth" });
        }
      });
    });
  }
  if (document.readyState === "complete") {
    reveal();
  } else {
    window.addEventListener("load", reveal);
  }
  // Never take focus away from something the reader has already reached.
  var active = document.activeElement;
  if (!active || active === document.body || active === document.documentElement) {
    target.focus({ preventScroll: true });
  }

  // One submission per answer: a double tap must not send the form twice.
  var form = document.querySelector("form.play-form");
  if (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  }
})();
