// Reminders (web push) for this device: the settings in templates/_reminders.html, on Account and
// on Today's offer card. Without JavaScript (or without notifications) the component only says
// what reminders need. Turning them on: the browser's permission, a push subscription made with
// the server's key (GET /api/v1/push/key), and the subscription sent with the time and days
// (POST /api/v1/push/subscriptions; again to change them). Turning them off: DELETE, then the
// subscription is dropped. The service worker shows what arrives (templates/pwa/sw.js).
(function () {
  "use strict";
  var components = document.querySelectorAll("[data-reminders]");
  var token = document.querySelector('meta[name="csrf-token"]');
  if (!components.length || !token || !window.fetch || !window.Promise) { return; }
  var SUBSCRIPTIONS = "/api/v1/push/subscriptions";
  var DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  var apple = /iPhone|iPad|iPod/.test(navigator.userAgent) ||
    (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  var SAY = {
    unsupported: "Reminders need a browser that can show notifications, and this one can't. Most current " +
      "browsers can: Chrome, Edge, Firefox or Safari.",
    apple: "On an iPhone or iPad, reminders work once the diary is on your Home Screen: tap Share, then " +
      "\u201cAdd to Home Screen\u201d, open the diary from there and turn reminders on.",
    blocked: "Notifications are blocked for this site in your browser settings. To get reminders, allow " +
      "notifications for this site there, then come back to this page.",
    dismissed: "Reminders need your permission to show notifications. Tap \u201cTurn on reminders\u201d " +
      "again and choose Allow.",
    pushService: "This browser couldn't set up notifications just now. Please try again later.",
    noWorker: "Reminders aren't ready on this device yet. Reload the page and try again.",
    offline: "Couldn't reach the diary. Check your connection and try again.",
    loggedOut: "You've been logged out. Log in again, then turn reminders on.",
    throttled: "That was a lot of tries. Please wait a minute and try again.",
    failed: "The diary couldn't save your reminder just now. Please try again.",
    working: "One moment\u2026",
    off: "Reminders are off on this device.",
  };

  // "20:00, every day" or "20:00 on Mon, Wed, Fri" (days: 0 = Monday ... 6 = Sunday), as
  // templates/_reminders.html says it.
  function schedule(remindAt, days) {
    var sorted = days.slice().sort();
    if (sorted.length === 7) { return remindAt + ", every day"; }
    return remindAt + " on " + sorted.map(function (day) { return DAYS[day]; }).join(", ");
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
  function subscribe() {
    return Promise.all([ready(), api("GET", "/api/v1/push/key")]).then(function (found) {
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

  function send(subscription, settings) {
    var json = subscription.toJSON();
    return api("POST", SUBSCRIPTIONS, {endpoint: json.endpoint, keys: json.keys,
                                      remind_at: settings.remind_at, days: settings.days});
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

    function say(text) {
      // Emptied first, so the same words twice are announced twice.
      status.textContent = "";
      setTimeout(function () { status.textContent = text; }, 50);
    }

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
      var text = "Reminders are on for this device at " + schedule(saved.remind_at, saved.days) + ".";
      say(offer ? text + " You can change them any time on your Account page." : text);
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
      if (!/^\d\d:\d\d/.test(chosen.remind_at)) { errors.remind_at = ["Choose a time for the reminder."]; }
      if (!chosen.days.length) { errors.days = ["Choose at least one day."]; }
      return Object.keys(errors).length ? errors : null;
    }

    function failed(error) {
      if (error.name === "denied") { say(SAY.blocked); return; }
      if (error.name === "dismissed") { say(SAY.dismissed); return; }
      if (error.name === "no-worker") { say(SAY.noWorker); return; }
      if (error.pushService) { say(SAY.pushService); return; }
      if (!error.status) { say(SAY.offline); return; }
      if (error.status === 401) { say(SAY.loggedOut); return; }
      if (error.status === 429) { say(SAY.throttled); return; }
      if (Object.keys(error.errors || {}).length) { showErrors(error.errors); return; }
      say(SAY.failed);
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
        // Asked at once, in the tap: browsers show the question only in answer to one.
        return ask().then(function (permission) {
          if (permission !== "granted") { throw named(permission === "denied" ? "denied" : "dismissed"); }
          return subscribe();
        }).then(function (made) {
          return send(made.subscription, chosen).then(function (answer) {
            // The server can forget the subscription made with its old key (if it can't, the
            // push service's refusals make it forget it later).
            var old = made.replaced && made.replaced !== made.subscription.endpoint ?
              api("DELETE", SUBSCRIPTIONS, {endpoint: made.replaced}).catch(function () {}) : null;
            return Promise.resolve(old).then(function () { return saved(made.subscription, answer, chosen); });
          }, function (error) {
            // Not kept by the server: don't keep a subscription nobody sends to.
            if (made.created) { made.subscription.unsubscribe().catch(function () {}); }
            throw error;
          });
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
        return current().then(function (subscription) {
          if (!subscription) { return null; }
          // The server first: if it can't be told, nothing changes and the patient can try again.
          return api("DELETE", SUBSCRIPTIONS, {endpoint: subscription.endpoint}).catch(function (error) {
            if (error.status !== 404) { throw error; }  // 404: already gone there
          }).then(function () {
            return subscription.unsubscribe().catch(function () {});
          }).then(function () { return subscription.endpoint; });
        }).then(function (endpoint) {
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

  Array.prototype.forEach.call(components, setUp);
})();
