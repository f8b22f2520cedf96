// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  // The service worker makes the app installable and keeps the check-in form usable offline.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
  }

  // Registration: pre-select the browser's time zone unless the user already chose one.
  var zone = document.querySelector('select[name="timezone"][data-default-from-browser="true"]');
  if (zone && window.Intl) {
    var browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (browserZone && zone.querySelector('option[value="' + browserZone + '"]')) {
      zone.value = browserZone;
    }
  }

  // A patient's Today page: refresh this device's copy of their support page (crisis contacts and
  // safety plan), which the service worker shows offline. Once per load of Today, after the page
  // has loaded, and only online: one small GET. (The worker also keeps the copy fresh whenever
  // the patient opens Support.) Logging out deletes it (Clear-Site-Data, or outbox.js when other
  // accounts' check-ins wait on this phone).
  var isPatient = document.querySelector("a.support-link") && document.querySelector('.app-header nav a[href="/trends"]');
  if (isPatient && window.location.pathname === "/" && window.caches && navigator.serviceWorker) {
    window.addEventListener("load", function () {
      if (!navigator.onLine) { return; }
      caches.open("diary-personal")
        .then(function (cache) { return cache.add(new Request("/support", {credentials: "same-origin"})); })
        .catch(function () {});  // offline, or a 5xx: keep the copy there is
    });
  }

  // The login page, reached online: whoever used this device before may not have logged out (a
  // session can end elsewhere). Their offline copy of Support holds their safety plan: drop it.
  if (window.location.pathname === "/login" && window.caches && navigator.onLine) {
    caches.delete("diary-personal").catch(function () {});
  }

  // A questionnaire: "4 of 7 answered" as answers are picked (the form works without this).
  var questionnaire = document.querySelector("form[data-questionnaire]");
  if (questionnaire) {
    var bar = questionnaire.querySelector("[data-progress]");
    var text = questionnaire.querySelector("[data-progress-text]");
    var items = Array.prototype.filter.call(questionnaire.querySelectorAll("fieldset.question"), function (set) {
      return /^item_\d+$/.test(set.id);
    });
    var update = function () {
      var answered = items.filter(function (set) { return set.querySelector("input:checked"); }).length;
      if (bar) { bar.value = answered; }
      if (text) {
        text.textContent = answered === items.length
          ? "All " + items.length + " answered."
          : answered + " of " + items.length + " answered.";
      }
    };
    questionnaire.addEventListener("change", update);
    if (items.some(function (set) { return set.querySelector("input:checked"); })) { update(); }
  }

  // After a failed submit, move focus to the summary so screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();


// The report's Print button (the browser's own Print menu works too, without JavaScript).
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
