// The offline outbox: check-ins made without a connection wait in IndexedDB (the only diary
// data kept on the device) and are sent, exactly once, when the connection is back.
//  - each gets a client UUID: the server stores one entry per id however often it is re-sent;
//  - before sending, a fresh CSRF token is fetched (one from hours ago would be refused);
//  - 201/200: sent, removed (and the support card shown if the server says the check-in calls
//    for it). 422/409: kept and shown to be fixed. 401: kept until login.
//    Network errors and 5xx: kept, retried on the next chance. Nothing is dropped silently.
(function () {
  "use strict";
  var DB_NAME = "diary-outbox", STORE = "entries";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, {keyPath: "id"}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  var outbox = {
    put: function (item) { return run("readwrite", function (store) { store.put(item); }); },
    remove: function (id) { return run("readwrite", function (store) { store.delete(id); }); },
    all: function () { return run("readonly", function (store) { return store.getAll(); }); },
  };

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function localToday() {
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  function localTime() {  // now on this phone, as HH:MM
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
  }

  // The JSON the API takes, from the check-in form's fields.
  function payloadFrom(form) {
    var data = new FormData(form), triggers = [];
    data.getAll("triggers").forEach(function (value) {
      value.split(",").forEach(function (name) { if (name.trim()) { triggers.push(name.trim()); } });
    });
    return {
      id: uuid(), date: data.get("date") || localToday(), time: data.get("time") || null,
      anxiety: Number(data.get("anxiety")), triggers: triggers, note: data.get("note") || "",
      private: data.get("private") !== null,
    };
  }

  var replaying = null, rerun = false;

  function freshToken() {
    return fetch("/api/v1/csrf-token", {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401) { throw {waitForLogin: true}; }
      if (!r.ok) { throw {later: true}; }
      return r.json().then(function (body) { return body.csrf_token; });
    });
  }

  function send(item, token) {
    return fetch("/api/v1/entries", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(item.payload),
    });
  }

  // One pass at a time; a call during a pass (a check-in saved meanwhile, the online event)
  // asks for another pass afterwards, so nothing waits for the next chance.
  function replay() {
    if (replaying) {
      rerun = true;
      return replaying.then(function () { return replaying; });
    }
    replaying = pass().then(function () {
      replaying = null;
      if (rerun) {
        rerun = false;
        return replay();
      }
    });
    return replaying;
  }

  function pass() {
    return outbox.all().then(function (items) {
      var pending = items.filter(function (item) { return !item.errors; });
      if (!pending.length) { return; }
      return freshToken().then(function (token) {
        return pending.reduce(function (chain, item) {
          return chain.then(function () {
            return send(item, token).then(function (response) {
              if (response.status === 201 || response.status === 200) {
                return outbox.remove(item.id).then(function () {
                  return response.json().then(function (body) {
                    if (body && body.support) { showSupportCard(); }
                  }, function () {});
                });
              }
              if (response.status === 401) { throw {waitForLogin: true}; }
              if (response.status === 422 || response.status === 409) {
                return response.json().then(function (body) {
                  item.errors = body.errors;
                  return outbox.put(item);
                });
              }
              throw {later: true};  // 400 (token), 5xx: keep it, try again next time
            });
          });
        }, Promise.resolve());
      });
    }).then(function () {
      waitingForLogin = false;
    }, function (problem) {
      waitingForLogin = Boolean(problem && problem.waitForLogin);
    }).then(render);
  }

  var waitingForLogin = false;

  // The server's rule (diary/services/safety.py), for a check-in still on the phone: a 10, or crisis
  // words in its note or triggers, matched like diary/insights/crisis.py (same patterns, from the page).
  var crisisPatterns = (function () {
    var data = document.getElementById("crisis-patterns");
    try { return JSON.parse(data.textContent).map(function (source) { return new RegExp(source); }); }
    catch (error) { return []; }
  })();

  function normalise(text) {
    return (text || "").normalize("NFKC").toLowerCase().replace(/['\u2018\u2019\u02bc`\u00b4]/g, "")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^0-9a-z]+/g, " ").trim();
  }

  function callsForSupport(payload) {
    if (payload.anxiety >= 10) { return true; }
    return [payload.note].concat(payload.triggers).some(function (text) {
      var plain = normalise(text);
      return crisisPatterns.some(function (pattern) { return pattern.test(plain); });
    });
  }

  // A check-in sent now whose words or score call for it: the same support card a page shows
  // after such a save (crisis contacts, no personal data: from base.html's template), once.
  function showSupportCard() {
    var template = document.getElementById("support-card-template");
    if (!template || document.querySelector("main .support-card")) { return; }
    var card = template.content.firstElementChild.cloneNode(true);
    var status = document.getElementById("outbox-status");
    if (status) { status.insertAdjacentElement("afterend", card); }
    else { (document.querySelector("main") || document.body).prepend(card); }
    card.focus();
  }

  function render() {
    var box = document.getElementById("outbox-status");
    if (!box) { return Promise.resolve(); }
    return outbox.all().then(function (items) {
      var pending = items.filter(function (item) { return !item.errors; });
      var failed = items.filter(function (item) { return item.errors; });
      box.hidden = !items.length;
      box.textContent = "";
      if (pending.length) {
        var p = document.createElement("p");
        p.className = "outbox-pending";
        p.textContent = pending.length === 1
          ? "1 check-in saved on this phone — will sync when you're back online."
          : pending.length + " check-ins saved on this phone — will sync when you're back online.";
        if (waitingForLogin) { p.textContent += " Log in to send them."; }
        box.appendChild(p);
      }
      failed.forEach(function (item) {
        var p = document.createElement("p");
        p.className = "outbox-failed";
        var messages = Object.keys(item.errors).map(function (field) {
          return field + ": " + [].concat(item.errors[field]).join(" ");
        });
        p.textContent = "A check-in from " + item.payload.date + (item.payload.time ? " " + item.payload.time : "") +
          " (anxiety " + item.payload.anxiety +
          ") wasn't accepted — " + messages.join("; ") + " ";
        var fix = document.createElement("button");
        fix.type = "button";
        fix.textContent = "Put it back in the form";
        fix.addEventListener("click", function () { refill(item); });
        p.appendChild(fix);
        box.appendChild(p);
      });
      box.dataset.count = String(items.length);
    });
  }

  function refill(item) {
    var form = document.querySelector("form[data-outbox]");
    if (!form) { window.location.href = "/"; return; }
    form.elements.date.value = item.payload.date;
    if (form.elements.time) { form.elements.time.value = item.payload.time || ""; }
    var radio = form.querySelector('input[name="anxiety"][value="' + item.payload.anxiety + '"]');
    if (radio) { radio.checked = true; }
    var typed = form.querySelector('input[type="text"][name="triggers"]');
    if (typed) { typed.value = item.payload.triggers.join(", "); }
    form.elements.note.value = item.payload.note;
    outbox.remove(item.id).then(render);
    form.scrollIntoView();
  }

  // Check-in forms: offline, keep the check-in here instead of losing it to a failed request.
  document.querySelectorAll("form[data-outbox]").forEach(function (form) {
    if (form.hasAttribute("data-offline-form") && form.elements.date) {
      form.elements.date.value = localToday();
      form.elements.date.max = localToday();
      if (form.elements.time) { form.elements.time.value = localTime(); }  // the cached page can't know
    }
    form.addEventListener("submit", function (event) {
      if (navigator.onLine && !form.hasAttribute("data-offline-form")) { return; }  // the normal post
      event.preventDefault();
      if (!form.querySelector('input[name="anxiety"]:checked')) {
        alert("Choose a number from 0 to 10.");
        return;
      }
      var payload = payloadFrom(form);
      outbox.put({id: payload.id, payload: payload, saved_at: new Date().toISOString()}).then(function () {
        if (callsForSupport(payload)) { showSupportCard(); }  // now, not hours later when it is sent
        form.reset();
        if (form.elements.date) { form.elements.date.value = localToday(); }
        if (form.elements.time) { form.elements.time.value = localTime(); }  // the next check-in is "now"
        render();
        if (navigator.onLine) { replay(); }
        else if (navigator.serviceWorker && navigator.serviceWorker.ready && window.SyncManager) {
          navigator.serviceWorker.ready.then(function (reg) { return reg.sync.register("diary-outbox"); })
            .catch(function () {});
        }
      });
    });
  });

  // Logging out with unsent check-ins: say so first (logout clears this phone's storage).
  document.querySelectorAll('form[action="/logout"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var count = Number((document.getElementById("outbox-status") || {dataset: {}}).dataset.count || 0);
      if (count && !confirm(count + " check-in(s) haven't been sent yet. Logging out deletes them from this phone. Log out anyway?")) {
        event.preventDefault();
      }
    });
  });

  window.addEventListener("online", replay);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "replay-outbox") { replay(); }
    });
  }
  window.diaryOutbox = {replay: replay, all: outbox.all, put: outbox.put, render: render,
                       showSupportCard: showSupportCard, callsForSupport: callsForSupport};
  render().then(function () { if (navigator.onLine) { return replay(); } });
})();
