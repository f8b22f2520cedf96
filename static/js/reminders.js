// Web push for this device. Reminders (a patient's): the settings in templates/_reminders.html, on
// Account and on Today's offer card. Safety alerts (a provider's): on or off, on Account. Without
// JavaScript (or without notifications) a component only says what it needs. Turning one on: the
// browser's permission, a push subscription made with the server's key (GET /api/v1/push/key, or
// /api/v1/safety-alerts/key for a provider), and the subscription sent to the server (POST
// /api/v1/push/subscriptions with the time and days, again to change them; POST
// /api/v1/safety-alerts/subscriptions). Turning it off: DELETE, then the subscription is dropped.
// The service worker shows what arrives (templates/pwa/sw.js).
(function () {
  "use strict";
  var components = document.querySelectorAll("[data-reminders]");
  var alertComponents = document.querySelectorAll("[data-safety-alerts]");
  var token = document.querySelector('meta[name="csrf-token"]');
  if (!(components.length || alertComponents.length) || !token || !window.fetch || !window.Promise) { return; }
  var SUBSCRIPTIONS = "/api/v1/push/subscriptions", KEY = "/api/v1/push/key";
  var ALERT_SUBSCRIPTIONS = "/api/v1/safety-alerts/subscriptions", ALERT_KEY = "/api/v1/safety-alerts/key";
  var DAYS = diary.words.weekdays || [];  // the reader's names, Monday first
  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  var apple = /iPhone|iPad|iPod/.test(navigator.userAgent) ||
    (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  // What to tell the user, in the reader's words (diary/web/js_words.py).
  var SAY = {
    unsupported: diary.word("remindersUnsupported"),
    apple: diary.word("remindersApple"),
    blocked: diary.word("remindersBlocked"),
    dismissed: diary.word("remindersDismissed"),
    pushService: diary.word("pushService"),
    noWorker: diary.word("remindersNoWorker"),
    offline: diary.word("offline"),
    loggedOut: diary.word("remindersLoggedOut"),
    throttled: diary.word("throttled"),
    failed: diary.word("remindersFailed"),
    working: diary.word("working"),
    off: diary.word("remindersOff"),
  };
  var ALERT_SAY = {
    unsupported: diary.word("alertsUnsupported"),
    apple: diary.word("alertsApple"),
    blocked: diary.word("alertsBlocked"),
    dismissed: diary.word("alertsDismissed"),
    pushService: SAY.pushService,
    noWorker: diary.word("alertsNoWorker"),
    offline: SAY.offline,
    loggedOut: diary.word("alertsLoggedOut"),
    throttled: SAY.throttled,
    failed: diary.word("alertsFailed"),
    working: SAY.working,
    on: diary.word("alertsOn"),
    off: diary.word("alertsOff"),
  };

  // "20:00, every day" or "20:00 on Mon, Wed, Fri" (days: 0 = Monday ... 6 = Sunday), as
  // templates/_reminders.html says it.
  function schedule(remindAt, days) {
    var sorted = days.slice().sort();
    if (sorted.length === 7) { return diary.word("scheduleEveryDay", {time: remindAt}); }
    return diary.word("scheduleOnDays", {time: remindAt, days: sorted.map(function (day) {
      return DAYS[day] || String(day);
    }).join(", ")});
  }

  function named(name) {
    var error = new Error(name);
    error.name = name;
    return error;
  }

  // The application server key (base64url, as the API gives it) as the bytes subscribe() takes.
  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "====".slice(base64.length % 4 || 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function sameKey(buffer, bytes) {
    if (!buffer) { return true; }  // the browser doesn't say: keep the subscription it has
    var had = new Uint8Array(buffer);
    return had.length === bytes.length && Array.prototype.every.call(had, function (b, i) { return b === bytes[i]; });
  }

  // JSON to or from the API; a refusal is thrown with its status and {field: [messages]}.
  function api(method, path, body) {
    var headers = {"Accept": "application/json", "X-CSRFToken": token.content};
    if (body) { headers["Content-Type"] = "application/json"; }
    return fetch(path, {method: method, credentials: "same-origin", headers: headers,
                        body: body ? JSON.stringify(body) : undefined}).then(function (response) {
      if (response.ok) { return response.status === 204 ? null : response.json(); }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        var error = named("refused");
        error.status = response.status;
        error.errors = (answer && answer.errors) || {};
        throw error;
      });
    });
  }

  function ask() {
    if (Notification.permission === "granted") { return Promise.resolve("granted"); }
    return new Promise(function (resolve) {
      var answer = Notification.requestPermission(resolve);  // older Safari: a callback
      if (answer && answer.then) { answer.then(resolve, function () { resolve("default"); }); }
    });
  }

  // ``promise``, or the error ``name`` after ``seconds``.
  function within(seconds, name, promise) {
    return Promise.race([promise, new Promise(function (resolve, reject) {
      setTimeout(function () { reject(named(name)); }, seconds * 1000);
    })]);
  }

  // The worker's registration (app.js registers it).
  function ready() { return within(10, "no-worker", navigator.serviceWorker.ready); }

  // This device's subscription, or null (without waiting for a worker that may never come).
  function current() {
    return navigator.serviceWorker.getRegistration("/").then(function (registration) {
      return registration ? registration.pushManager.getSubscription() : null;
    }).catch(function () { return null; });
  }

  // A subscription made with the server's key; one made with an older key (the server's was
  // replaced) is replaced too, and its endpoint given as ``replaced``.
  function subscribe(keyPath) {
    return Promise.all([ready(), api("GET", keyPath)]).then(function (found) {
      var registration = found[0], key = keyBytes(found[1].public_key);
      return registration.pushManager.getSubscription().then(function (existing) {
        if (existing && sameKey(existing.options && existing.options.applicationServerKey, key)) {
          return {subscription: existing, created: false};
        }
        return (existing ? existing.unsubscribe() : Promise.resolve()).then(function () {
          // The browser asks its push service, which may never answer (offline, or blocked).
          return within(30, "push-service", registration.pushManager.subscribe(
            {userVisibleOnly: true, applicationServerKey: key}));
        }).then(function (subscription) {
          return {subscription: subscription, created: true, replaced: existing && existing.endpoint};
        }, function (error) {
          error.pushService = true;
          throw error;
        });
      });
    });
  }

  // Permission (asked at once, in the tap: browsers show the question only in answer to one), a
  // subscription made with the key at ``keyPath``, and the server told of it at ``path`` with the
  // ``fields`` given. Resolves to {subscription, answer}.
  function enable(keyPath, path, fields) {
    return ask().then(function (permission) {
      if (permission !== "granted") { throw named(permission === "denied" ? "denied" : "dismissed"); }
      return subscribe(keyPath);
    }).then(function (made) {
      var json = made.subscription.toJSON();
      var body = {endpoint: json.endpoint, keys: json.keys};
      Object.keys(fields).forEach(function (name) { body[name] = fields[name]; });
      return api("POST", path, body).then(function (answer) {
        // The server can forget the subscription made with its old key (if it can't, the push
        // service's refusals make it forget it later).
        var old = made.replaced && made.replaced !== made.subscription.endpoint ?
          api("DELETE", path, {endpoint: made.replaced}).catch(function () {}) : null;
        return Promise.resolve(old).then(function () { return {subscription: made.subscription, answer: answer}; });
      }, function (error) {
        // Not kept by the server: don't keep a subscription nobody sends to.
        if (made.created) { made.subscription.unsubscribe().catch(function () {}); }
        throw error;
      });
    });
  }

  // This device's subscription off at ``path``, then dropped; resolves to its endpoint (or null).
  function disable(path) {
    return current().then(function (subscription) {
      if (!subscription) { return null; }
      // The server first: if it can't be told, nothing changes and the user can try again.
      return api("DELETE", path, {endpoint: subscription.endpoint}).catch(function (error) {
        if (error.status !== 404) { throw error; }  // 404: already gone there
      }).then(function () {
        return subscription.unsubscribe().catch(function () {});
      }).then(function () { return subscription.endpoint; });
    });
  }

  // What to tell the user about ``error`` in ``words`` (SAY or ALERT_SAY); null when the server
  // named what was wrong ({field: [messages]} in error.errors).
  function problem(error, words) {
    if (error.name === "denied") { return words.blocked; }
    if (error.name === "dismissed") { return words.dismissed; }
    if (error.name === "no-worker") { return words.noWorker; }
    if (error.pushService) { return words.pushService; }
    if (!error.status) { return words.offline; }
    if (error.status === 401) { return words.loggedOut; }
    if (error.status === 429) { return words.throttled; }
    if (Object.keys(error.errors || {}).length) { return null; }
    return words.failed;
  }

  // The status line's say(): emptied first, so the same words twice are announced twice.
  function speaker(status) {
    return function (text) {
      status.textContent = "";
      setTimeout(function () { status.textContent = text; }, 50);
    };
  }

  // Account's list of devices: this one marked, and fresh from the server after a change.
  function markThisDevice(endpoint) {
    document.querySelectorAll("[data-push-endpoint]").forEach(function (item) {
      var mark = item.querySelector("[data-this-device]");
      if (mark) { mark.hidden = item.getAttribute("data-push-endpoint") !== endpoint; }
    });
  }

  function listedDevice(endpoint) {
    var found = null;
    document.querySelectorAll("[data-push-endpoint]").forEach(function (item) {
      if (item.getAttribute("data-push-endpoint") === endpoint) { found = item; }
    });
    return found;
  }

  function refreshDevices(endpoint) {
    if (!document.querySelector("[data-push-devices]") || !window.DOMParser) { return Promise.resolve(); }
    return diary.refreshFromPage("[data-push-devices]").then(function () { markThisDevice(endpoint); });
  }

  function setUp(root) {
    var without = root.querySelector("[data-reminders-without]");
    var controls = root.querySelector("[data-reminders-controls]");
    var status = root.querySelector("[data-reminders-status]");
    var time = root.querySelector('input[name="remind_at"]');
    var boxes = Array.prototype.slice.call(root.querySelectorAll('input[name="days"]'));
    var buttons = {on: root.querySelector("[data-reminders-on]"), save: root.querySelector("[data-reminders-save]"),
                   off: root.querySelector("[data-reminders-off]")};
    var offer = root.closest("[data-reminders-offer]");  // Today's card
    var busy = false;

    var say = speaker(status);

    function cannot(text) {
      without.textContent = text;
      without.hidden = false;
      controls.hidden = true;
      if (offer) { offer.hidden = true; }  // nothing to offer on this device
    }

    function showOn(isOn) {
      buttons.on.hidden = isOn;
      buttons.save.hidden = !isOn;
      buttons.off.hidden = !isOn;
    }

    function settings() {
      return {remind_at: time.value, days: boxes.filter(function (box) { return box.checked; })
        .map(function (box) { return Number(box.value); })};
    }

    function apply(saved) {
      if (saved.remind_at) { time.value = saved.remind_at; }
      boxes.forEach(function (box) { box.checked = saved.days.indexOf(Number(box.value)) !== -1; });
    }

    function confirm(saved) {
      var text = diary.word("remindersOn", {schedule: schedule(saved.remind_at, saved.days)});
      say(offer ? text + " " + diary.word("remindersChangeOnAccount") : text);
    }

    function fieldOf(name) { return root.querySelector('[data-field="' + name + '"]'); }

    function clearErrors() {
      root.querySelectorAll("[data-error-for]").forEach(function (message) {
        message.hidden = true;
        message.textContent = "";
        var field = fieldOf(message.getAttribute("data-error-for"));
        if (field) { field.removeAttribute("aria-invalid"); field.removeAttribute("aria-describedby"); }
      });
    }

    // Each field's messages next to it (the first such field gets focus); the rest in the status.
    function showErrors(errors) {
      var rest = [], first = null;
      Object.keys(errors).forEach(function (name) {
        var message = root.querySelector('[data-error-for="' + name + '"]');
        var text = [].concat(errors[name]).join(" ");
        if (!message) { rest.push(text); return; }
        message.textContent = text;
        message.hidden = false;
        var field = fieldOf(name);
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", message.id);
        first = first || field;
      });
      if (first) { (first.matches("fieldset") ? first.querySelector("input") : first).focus(); }
      say(rest.join(" "));
    }

    function check(chosen) {
      var errors = {};
      if (!/^\d\d:\d\d/.test(chosen.remind_at)) { errors.remind_at = [diary.word("chooseTime")]; }
      if (!chosen.days.length) { errors.days = [diary.word("chooseDays")]; }
      return Object.keys(errors).length ? errors : null;
    }

    function failed(error) {
      var text = problem(error, SAY);
      if (text === null) { showErrors(error.errors); } else { say(text); }
    }

    function saved(subscription, answer, chosen) {
      var now = {remind_at: answer && answer.remind_at || chosen.remind_at, days: answer && answer.days || chosen.days};
      apply(now);
      showOn(true);
      confirm(now);
      return refreshDevices(subscription.endpoint);
    }

    function run(work) {
      if (busy) { return; }
      busy = true;
      work().catch(failed).then(function () { busy = false; });
    }

    function turnOn() {
      if (busy) { return; }
      var chosen = settings();
      clearErrors();
      var problems = check(chosen);
      if (problems) { showErrors(problems); return; }
      say(SAY.working);
      run(function () {
        return enable(KEY, SUBSCRIPTIONS, chosen).then(function (done) {
          return saved(done.subscription, done.answer, chosen);
        });
      });
    }

    // Saving the time and days is turning on again: the same subscription is sent with them (a new
    // one if the browser dropped it, or if the server's key changed since).
    buttons.on.addEventListener("click", turnOn);
    buttons.save.addEventListener("click", turnOn);

    buttons.off.addEventListener("click", function () {
      clearErrors();
      say(SAY.working);
      run(function () {
        return disable(SUBSCRIPTIONS).then(function (endpoint) {
          showOn(false);
          say(SAY.off);
          return refreshDevices(endpoint);
        });
      });
    });

    if (!supported) { cannot(SAY.unsupported + (apple ? " " + SAY.apple : "")); return; }
    if (Notification.permission === "denied") { cannot(SAY.blocked); return; }
    without.hidden = true;
    controls.hidden = false;
    current().then(function (subscription) {
      if (!subscription) { return; }
      markThisDevice(subscription.endpoint);
      var listed = listedDevice(subscription.endpoint);
      if (offer) { offer.hidden = true; return; }  // Today: this device already has them
      if (document.querySelector("[data-push-devices]") && !listed) { return; }  // the server forgot it
      if (listed) {
        apply({remind_at: listed.getAttribute("data-remind-at"),
               days: listed.getAttribute("data-days").split(",").map(Number)});
      }
      showOn(true);
      confirm(settings());
    });
  }

  // A provider's safety alerts in this browser: one button to turn them on, one to turn them off.
  function setUpAlerts(root) {
    var without = root.querySelector("[data-reminders-without]");
    var controls = root.querySelector("[data-reminders-controls]");
    var say = speaker(root.querySelector("[data-reminders-status]"));
    var on = root.querySelector("[data-reminders-on]"), off = root.querySelector("[data-reminders-off]");
    var busy = false;

    function showOn(isOn) {
      on.hidden = isOn;
      off.hidden = !isOn;
    }

    function run(work) {
      if (busy) { return; }
      busy = true;
      say(ALERT_SAY.working);
      work().catch(function (error) {
        var text = problem(error, ALERT_SAY);
        say(text === null ? Object.keys(error.errors).map(function (name) {
          return [].concat(error.errors[name]).join(" ");
        }).join(" ") : text);
      }).then(function () { busy = false; });
    }

    on.addEventListener("click", function () {
      run(function () {
        return enable(ALERT_KEY, ALERT_SUBSCRIPTIONS, {}).then(function (done) {
          showOn(true);
          say(ALERT_SAY.on);
          return refreshDevices(done.subscription.endpoint);
        });
      });
    });

    off.addEventListener("click", function () {
      run(function () {
        return disable(ALERT_SUBSCRIPTIONS).then(function (endpoint) {
          showOn(false);
          say(ALERT_SAY.off);
          return refreshDevices(endpoint);
        });
      });
    });

    function cannot(text) {
      without.textContent = text;
      without.hidden = false;
      controls.hidden = true;
    }

    if (!supported) { cannot(ALERT_SAY.unsupported + (apple ? " " + ALERT_SAY.apple : "")); return; }
    if (Notification.permission === "denied") { cannot(ALERT_SAY.blocked); return; }
    without.hidden = true;
    controls.hidden = false;
    current().then(function (subscription) {
      if (!subscription) { return; }
      markThisDevice(subscription.endpoint);
      // On only when the server has it for this provider (it may have forgotten it, or this
      // browser's subscription may be someone else's).
      if (listedDevice(subscription.endpoint)) { showOn(true); }
    });
  }

  Array.prototype.forEach.call(components, setUp);
  Array.prototype.forEach.call(alertComponents, setUpAlerts);
})();
