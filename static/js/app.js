// Progressive enhancement only: every form works without this file.

// Helpers shared with outbox.js and reminders.js (deferred scripts run in order, app.js first).
window.diary = (function () {
  "use strict";

  // The words the scripts show, in the reader's language: the page's JSON block
  // (templates/_js_words.html, from diary/web/js_words.py), read once.
  var words = (function () {
    var block = document.getElementById("diary-words");
    try { return block ? JSON.parse(block.textContent) : {}; } catch (error) { return {}; }
  })();

  // The text of ``key`` with its %(name)s filled from ``values`` ("pendingMany", {num: 3}); a
  // text the page doesn't have shows its key.
  function word(key, values) {
    var text = Object.prototype.hasOwnProperty.call(words, key) ? String(words[key]) : key;
    return text.replace(/%\((\w+)\)s/g, function (placeholder, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : placeholder;
    });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function localTime() {  // now on this device, as HH:MM
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
  }

  // The API's JSON from the check-in form's fields (as diary/views/forms.py reads the form); the
  // form's own id when it has one (a double-tapped save stays one check-in), else a new one.
  function checkinPayload(form) {
    var data = new FormData(form), triggers = [];
    data.getAll("triggers").forEach(function (value) {
      value.split(",").forEach(function (name) { if (name.trim()) { triggers.push(name.trim()); } });
    });
    return {id: data.get("id") || uuid(), date: data.get("date"), time: data.get("time") || null,
            anxiety: Number(data.get("anxiety")), triggers: triggers, note: data.get("note") || "",
            private: data.get("private") !== null};
  }

  // Replace the element matching ``selector`` with its copy from a fresh load of this page
  // (what a save changed there), quietly keeping the old one if that fails.
  function refreshFromPage(selector) {
    return fetch(window.location.pathname, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (!r.ok) { return; }
      return r.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(selector);
        var here = document.querySelector(selector);
        if (fresh && here) { here.replaceWith(fresh); }
      });
    }).catch(function () {});
  }

  // Say what a save without a reload did, in the toast above the navigation (base.html), for a
  // few seconds (a tap closes it sooner). Emptied first, so the same words twice are announced twice.
  var toastTimer = null;
  function announce(text) {
    var toast = document.querySelector("[data-save-status]");
    if (!toast) { return; }
    document.querySelectorAll("main > p.flash").forEach(function (old) { old.remove(); });
    toast.textContent = "";
    clearTimeout(toastTimer);
    setTimeout(function () { toast.textContent = text; }, 50);
    toastTimer = setTimeout(function () { toast.textContent = ""; }, 6000);
    toast.onclick = function () { toast.textContent = ""; };
  }

  // A submit button while its request runs: says so, and is not pressed twice (aria-disabled keeps
  // it focusable, so a screen reader stays where it was).
  function busy(button, on) {
    if (!button) { return; }
    if (on) {
      button.dataset.label = button.textContent;
      button.textContent = word("saving");
      button.setAttribute("aria-disabled", "true");
      button.classList.add("busy");
    } else {
      if (button.dataset.label) { button.textContent = button.dataset.label; }
      button.removeAttribute("aria-disabled");
      button.classList.remove("busy");
    }
  }

  return {words: words, word: word, uuid: uuid, localTime: localTime, checkinPayload: checkinPayload,
          refreshFromPage: refreshFromPage, announce: announce, busy: busy};
})();

(function () {
  "use strict";

  // The service worker makes the app installable and keeps the check-in form usable offline. It
  // is registered once the page has loaded, so precaching the shell never competes with the page.
  if ("serviceWorker" in navigator) {
    var register = function () { navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {}); };
    if (document.readyState === "complete") { register(); } else { window.addEventListener("load", register); }
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
          ? diary.word("allAnswered", {total: items.length})
          : diary.word("someAnswered", {answered: answered, total: items.length});
      }
    };
    questionnaire.addEventListener("change", update);
    if (items.some(function (set) { return set.querySelector("input:checked"); })) { update(); }
  }

  // After a failed submit, move focus to the summary so screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }

  // The navigation's More menu (a <details>, so it works without this): closes like an app's menu
  // on a tap elsewhere, or on Escape, which gives focus back to More.
  var more = document.querySelector(".nav-more");
  if (more) {
    document.addEventListener("click", function (event) {
      if (more.open && !more.contains(event.target)) { more.open = false; }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && more.open) {
        more.open = false;
        more.querySelector("summary").focus();
      }
    });
  }
})();

// Today's check-in, online: saved through the JSON API without reloading the page, then the form
// is reset for the next one and "Check-in saved." is announced. The plain form post stays the
// fallback: without JavaScript, and whenever the fetch fails or the API refuses (a 422 shows its
// errors on the page the post returns). Offline, outbox.js keeps the check-in on the phone instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-quick-save]");
  var token = document.querySelector('meta[name="csrf-token"]');
  if (!form || !window.fetch || !window.DOMParser || !token) { return; }
  var button = form.querySelector('button[type="submit"]');
  var busy = false;

  function plainPost() {
    form.dataset.plainPost = "true";
    HTMLFormElement.prototype.submit.call(form);  // no submit event: straight to the server
  }

  function showSupport(reason) {
    var template = document.querySelector('template[data-support-card="' + reason + '"]') ||
      document.querySelector("template[data-support-card]");
    if (!template) { return; }
    document.querySelectorAll("main .support-card").forEach(function (old) { old.remove(); });
    var card = template.content.firstElementChild.cloneNode(true);
    document.getElementById("outbox-status").insertAdjacentElement("afterend", card);
    card.focus();
  }

  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented || form.dataset.plainPost || !navigator.onLine) { return; }
    if (busy) { event.preventDefault(); return; }  // a double tap: one save
    if (!form.querySelector('input[name="anxiety"]:checked')) { return; }  // the server explains
    event.preventDefault();
    busy = true;
    diary.busy(button, true);
    fetch("/api/v1/entries", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token.content},
      body: JSON.stringify(diary.checkinPayload(form)),
    }).then(function (response) {
      if (response.status !== 201 && response.status !== 200) { throw new Error(String(response.status)); }
      return response.json().then(function (body) {
        form.reset();
        form.elements.id.value = diary.uuid();  // the next check-in is a new one
        if (form.elements.time) { form.elements.time.value = diary.localTime(); }
        diary.announce(diary.word(response.status === 201 ? "checkinSaved" : "checkinAlreadySaved"));
        if (body && body.support) { showSupport(body.support.reason); }
        busy = false;
        diary.busy(button, false);
        return diary.refreshFromPage("[data-today-so-far]");
      });
    }).catch(function () {
      plainPost();  // the button stays busy: the page is on its way
    });
  });
})();

// Date fields read like every other date in the diary ("Sat 5 Dec", "sáb 5 dic", the year when it
// isn't this one: diary/timeutil.py short_date, with the reader's names of days and months), not
// in the browser's own numeric format beside them. The field itself stays the browser's date input
// (its calendar, its keyboard, what a screen reader says); only what it shows while not being
// edited is drawn over it, in the same words.
(function () {
  "use strict";
  var DAYS = diary.words.weekdays || [];  // Monday first, as the server's
  var MONTHS = diary.words.months || [];

  function shortDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts || DAYS.length !== 7 || MONTHS.length !== 12) { return ""; }
    var day = new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
    var text = DAYS[(day.getDay() + 6) % 7] + " " + day.getDate() + " " + MONTHS[day.getMonth()];
    return day.getFullYear() === new Date().getFullYear() ? text : text + " " + day.getFullYear();
  }
  var updates = [];
  window.diary.shortDate = shortDate;
  // After a script sets a date field's value (no event says so): show it.
  window.diary.refreshDates = function () { updates.forEach(function (update) { update(); }); };

  document.querySelectorAll('input[type="date"]').forEach(function (input) {
    var shown = document.createElement("span");
    shown.className = "date-shown";
    shown.setAttribute("aria-hidden", "true");
    var wrap = document.createElement("span");
    wrap.className = "date-field";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(shown);
    var update = function () {
      shown.textContent = shortDate(input.value);
      wrap.classList.toggle("has-date", shown.textContent !== "");
    };
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    // form.reset() and scripts that set .value fire no event: the next paint checks again.
    input.form && input.form.addEventListener("reset", function () { setTimeout(update, 0); });
    input.addEventListener("blur", update);
    updates.push(update);
    update();
  });
})();

// The report's Print button (the browser's own Print menu works too, without JavaScript).
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
