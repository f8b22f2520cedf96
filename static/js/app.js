// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  // Registration: pre-select the browser's time zone unless the user already chose one.
  var zone = document.querySelector('select[name="timezone"][data-default-from-browser="true"]');
  if (zone && window.Intl) {
    var browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (browserZone && zone.querySelector('option[value="' + browserZone + '"]')) {
      zone.value = browserZone;
    }
  }

  // After a failed submit, move focus to the summary so screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
