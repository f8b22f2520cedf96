// The offline outbox: check-ins made without a connection wait in IndexedDB (the only diary
// data kept on the device) and are sent, exactly once, when the connection is back.
//  - each gets a client UUID: the server stores one entry per id however often it is re-sent;
//  - before sending, a fresh CSRF token is fetched (one from hours ago would be refused);
//  - 201/200: sent, removed (and the support card shown if the server says the check-in calls
//    for it). 422/409: kept and shown to be fixed. 401: kept until login.
//    Network errors and 5xx: kept, retried on the next chance. Nothing is dropped silently.
// Each check-in belongs to the account that wrote it (a phone can be shared, and a session can end
// elsewhere without a logout here, so whoever logs in next may be someone else):
//  - it records its owner's id: the account the page was rendered for, or, on the cached offline
//    page (the same for everyone), the account last seen logged in on this device;
//  - it is sent only while that account is logged in (GET /api/v1/me, right before sending) and
//    shown only to that account; another account's check-ins stay on the phone, unsent and unseen;
//  - its owner's deliberate logout (or account deletion) drops it, and nobody else's does.
//  - Check-ins that name no owner (queued before owners were recorded, or offline while nobody
//    was logged in) are never sent on their own: the patient logged in is shown their count and
//    dates (nothing else) and can say they're theirs.
(function () {
  "use strict";
  var DB_NAME = "diary-outbox", STORE = "entries";
  var USER_KEY = "diary-user";  // localStorage: the account last seen logged in on this device
  var LEAVING_KEY = "diary-leaving";  // sessionStorage: who is logging out (or deleting their account)

  // Who the page was rendered for: an id; "" (fresh from the server: nobody is logged in); or null
  // (a page the service worker keeps for everyone, /offline or /support/offline: it can't know).
  var pageUser = (function () {
    var meta = document.querySelector('meta[name="diary-user"]');
    return meta ? meta.content : null;
  })();

  function remembered() {
    try { return localStorage.getItem(USER_KEY) || ""; } catch (error) { return ""; }
  }

  function remember(user) {
    try {
      if (user) { localStorage.setItem(USER_KEY, user); } else { localStorage.removeItem(USER_KEY); }
    } catch (error) { /* no storage: the offline page then saves check-ins without an owner */ }
  }

  if (pageUser !== null) { remember(pageUser); }
  // The account whose check-ins this page saves, sends and shows (the server's answer to /me
  // replaces it before anything is sent).
  var currentUser = pageUser !== null ? pageUser : remembered();

  function ownerOf(item) {
    return item.owner === undefined || item.owner === null || item.owner === "" ? null : String(item.owner);
  }

  function ownedBy(user) {
    return function (item) { return Boolean(user) && ownerOf(item) === String(user); };
  }

  function unowned(item) { return ownerOf(item) === null; }

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
    removeAll: function (ids) {
      return run("readwrite", function (store) { ids.forEach(function (id) { store.delete(id); }); });
    },
    all: function () { return run("readonly", function (store) { return store.getAll(); }); },
  };

  function localToday() {
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }


  // The JSON the API takes, from the check-in form's fields.
  // Each queued check-in gets an id of its own (the offline form is submitted again and again).
  function payloadFrom(form) {
    var payload = diary.checkinPayload(form);
    payload.id = diary.uuid();
    payload.date = payload.date || localToday();
    return payload;
  }

  var replaying = null, rerun = false;

  function freshToken() {
    return fetch("/api/v1/csrf-token", {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401) { throw {waitForLogin: true}; }
      if (!r.ok) { throw {later: true}; }
      return r.json().then(function (body) { return body.csrf_token; });
    });
  }

  // Asked after the token: a login in between starts a new session with a new token, which makes
  // the token refused, so a check-in can't be sent as anyone but the account named here.
  function loggedInUser() {
    return fetch("/api/v1/me", {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401) { throw {waitForLogin: true}; }
      if (!r.ok) { throw {later: true}; }
      return r.json().then(function (body) { return String(body.id); });
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
      if (!items.some(function (item) { return !item.errors && !unowned(item); })) { return; }
      var token;
      return freshToken().then(function (fresh) {
        token = fresh;
        return loggedInUser();
      }).then(function (user) {
        currentUser = user;
        remember(user);
        var pending = items.filter(ownedBy(user)).filter(function (item) { return !item.errors; });
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
  // words in its note or triggers, read as diary/insights/crisis.py reads them (static/js/crisis.js).
  // A Promise of true or false.
  function callsForSupport(payload) {
    if (payload.anxiety >= 10) { return Promise.resolve(true); }
    if (!window.diaryCrisis) { return Promise.resolve(false); }
    return window.diaryCrisis.mentionsCrisis([payload.note].concat(payload.triggers)).catch(function () { return false; });
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
    return outbox.all().then(function (all) {
      var items = all.filter(ownedBy(currentUser));
      var pending = items.filter(function (item) { return !item.errors; });
      var failed = items.filter(function (item) { return item.errors; });
      // Only on a page rendered for the account logged in: it can claim them.
      var nobodys = pageUser && pageUser === currentUser ? all.filter(unowned) : [];
      box.hidden = !items.length && !nobodys.length;
      box.textContent = "";
      if (pending.length) {
        var p = document.createElement("p");
        p.className = "outbox-pending";
        p.textContent = pending.length === 1 ? diary.word("pendingOne") : diary.word("pendingMany", {num: pending.length});
        if (waitingForLogin) { p.textContent += " " + diary.word("logInToSend"); }
        box.appendChild(p);
      }
      failed.forEach(function (item) {
        var p = document.createElement("p");
        p.className = "outbox-failed";
        // Each field named in the reader's words (the server's messages already are).
        var messages = Object.keys(item.errors).map(function (field) {
          var key = "field_" + field;
          var name = Object.prototype.hasOwnProperty.call(diary.words, key) ? diary.word(key) : field;
          return name + ": " + [].concat(item.errors[field]).join(" ");
        });
        p.textContent = diary.word("notAccepted", {
          when: item.payload.date + (item.payload.time ? " " + item.payload.time : ""),
          anxiety: item.payload.anxiety, problems: messages.join("; ")}) + " ";
        var fix = document.createElement("button");
        fix.type = "button";
        fix.textContent = diary.word("putBack");
        fix.addEventListener("click", function () { refill(item); });
        p.appendChild(fix);
        box.appendChild(p);
      });
      if (nobodys.length) { box.appendChild(unownedNotice(nobodys)); }
      box.dataset.count = String(items.length);
    });
  }

  // Check-ins that name no account: their count and dates only (they may be someone else's).
  function unownedNotice(items) {
    var dates = items.map(function (item) { return item.payload.date; }).sort();
    var p = document.createElement("p");
    p.className = "outbox-unowned";
    var first = dates[0], last = dates[dates.length - 1];
    var dated = first === last ? first : diary.word("datesFromTo", {first: first, last: last});
    p.textContent = (items.length === 1 ? diary.word("unownedOne", {dates: dated})
      : diary.word("unownedMany", {num: items.length, dates: dated})) + " ";
    var claim = document.createElement("button");
    claim.type = "button";
    claim.textContent = diary.word(items.length === 1 ? "claimOne" : "claimMany");
    claim.addEventListener("click", function () { claimUnowned(); });
    p.appendChild(claim);
    return p;
  }

  function claimUnowned() {
    var user = currentUser;
    if (!user || user !== pageUser) { return Promise.resolve(); }
    return outbox.all().then(function (all) {
      return Promise.all(all.filter(unowned).map(function (item) {
        item.owner = user;
        return outbox.put(item);
      }));
    }).then(render).then(replay);
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
    diary.refreshDates();
    outbox.remove(item.id).then(render);
    form.scrollIntoView();
  }

  // Check-in forms: offline, keep the check-in here instead of losing it to a failed request.
  document.querySelectorAll("form[data-outbox]").forEach(function (form) {
    if (form.hasAttribute("data-offline-form") && form.elements.date) {
      form.elements.date.value = localToday();
      form.elements.date.max = localToday();
      if (form.elements.time) { form.elements.time.value = diary.localTime(); }  // the cached page can't know
      diary.refreshDates();
    }
    form.addEventListener("submit", function (event) {
      if (navigator.onLine && !form.hasAttribute("data-offline-form")) { return; }  // the normal post
      event.preventDefault();
      if (!form.querySelector('input[name="anxiety"]:checked')) {
        alert(diary.word("chooseAnxiety"));
        return;
      }
      var payload = payloadFrom(form);
      var item = {id: payload.id, owner: currentUser || null, payload: payload, saved_at: new Date().toISOString()};
      outbox.put(item).then(function () {
        // Now, not hours later when it is sent.
        callsForSupport(payload).then(function (calls) { if (calls) { showSupportCard(); } });
        form.reset();
        if (form.elements.date) { form.elements.date.value = localToday(); }
        if (form.elements.time) { form.elements.time.value = diary.localTime(); }  // the next check-in is "now"
        diary.announce(diary.word("savedOnPhone"));
        render();
        if (navigator.onLine) { replay(); }
        else if (navigator.serviceWorker && navigator.serviceWorker.ready && window.SyncManager) {
          navigator.serviceWorker.ready.then(function (reg) { return reg.sync.register("diary-outbox"); })
            .catch(function () {});
        }
      });
    });
  });

  // Logging out (or deleting the account) on purpose drops this account's check-ins and its copy
  // of the support page, and nobody else's. Logout's Clear-Site-Data "storage" can't spare
  // anything, so the form says when other accounts' check-ins wait on this phone ("others_waiting")
  // and the server then clears only "cache"; the next page, once the server has logged this account
  // out, deletes what was its (see leftBehind below). Logging out with this account's unsent
  // check-ins: say so first.
  document.querySelectorAll("form[data-ends-session]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.checked) { return; }
      event.preventDefault();
      var user = currentUser, flag = form.querySelector('input[name="others_waiting"]');
      if (!flag) {
        flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "others_waiting";
        form.appendChild(flag);
      }
      outbox.all().then(function (all) {
        var others = all.filter(function (item) { return !unowned(item) && !ownedBy(user)(item); });
        // With nobody else's waiting, everything goes: then so do check-ins naming no one.
        var lost = all.filter(ownedBy(user)).length + (others.length ? 0 : all.filter(unowned).length);
        if (form.dataset.endsSession === "logout" && lost &&
            !confirm(diary.word("confirmLogout", {num: lost}))) {
          return false;
        }
        flag.value = others.length ? "1" : "";
        try { sessionStorage.setItem(LEAVING_KEY, user || ""); } catch (error) { flag.value = ""; }
        return true;
      }, function () {
        flag.value = "";  // the outbox can't be read: clear everything, as before
        return true;
      }).then(function (go) {
        if (go) {
          form.dataset.checked = "true";
          form.submit();
        }
      });
    });
  });

  // The page after a logout or an account deletion (the server now says nobody is logged in): the
  // account that left takes its unsent check-ins and its offline support page with it. (When
  // the server cleared "storage" too, there is nothing left to delete, this key included.)
  function leftBehind() {
    var leaving;
    try {
      leaving = sessionStorage.getItem(LEAVING_KEY);
      sessionStorage.removeItem(LEAVING_KEY);
    } catch (error) { leaving = null; }
    if (leaving === null || pageUser !== "") { return Promise.resolve(); }  // not logged out after all
    var personal = window.caches ? caches.delete("diary-personal").catch(function () {}) : null;
    return Promise.all([personal, outbox.all().then(function (all) {
      return outbox.removeAll(all.filter(ownedBy(leaving)).map(function (item) { return item.id; }));
    })]);
  }

  window.addEventListener("online", replay);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "replay-outbox") { replay(); }
    });
  }
  // Tests and the console: all() is every check-in on this phone, whoever's; put() stores an
  // item as given (with or without an owner); payloadFrom(form) is what would be queued.
  window.diaryOutbox = {replay: replay, all: outbox.all, put: outbox.put, render: render,
                       showSupportCard: showSupportCard, callsForSupport: callsForSupport,
                       payloadFrom: payloadFrom};
  leftBehind().catch(function () {}).then(render).then(function () { if (navigator.onLine) { return replay(); } });
})();
