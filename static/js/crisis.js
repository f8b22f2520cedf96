// Crisis language, as the server reads it (diary/insights/crisis.py), for a check-in still on the
// phone: the same three steps (normalise, read misspelt keywords, near misses out, then phrases)
// over the same lists, fetched from /crisis-rules.json (precached by the service worker, so it
// works offline). tests/browser/test_safety.py holds the two to the same answers on the corpus.
(function () {
  "use strict";
  var source = document.querySelector('meta[name="crisis-rules"]');
  var rules = null;
  var loading = null;

  function load() {
    if (rules) { return Promise.resolve(rules); }
    if (!loading) {
      loading = fetch(source ? source.content : "/crisis-rules.json", {credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) { throw new Error("crisis rules: " + response.status); }
          return response.json();
        })
        .then(function (data) {
          rules = {
            keywords: data.keywords, known: new Set(data.known), keywordSet: new Set(data.keywords),
            lookAlikes: data.look_alikes,
            phrases: new RegExp(data.phrases.join("|")),
            nearMisses: new RegExp(data.near_misses.join("|"), "g"),
          };
          return rules;
        }, function (problem) { loading = null; throw problem; });
    }
    return loading;
  }

  function digitsAsLetters(word) {
    var letters = word.replace(/[^a-z]/g, "").length;
    if (letters === word.length || word.length < 2) { return word; }
    return word.replace(/[0-9]/g, function (c) { return rules.lookAlikes[c] || c; });
  }

  function joinSpacedLetters(words) {
    var result = [], run = [];
    words.concat([""]).forEach(function (word) {
      if (word.length === 1 && /[a-z]/.test(word)) { run.push(word); return; }
      // A word of one letter before a keyword spelt out stays a word ("me voy a m a t a r").
      if (run.length >= 4 && "aieouy".indexOf(run[0]) >= 0 && rules.keywordSet.has(run.slice(1).join(""))) {
        result.push(run[0], run.slice(1).join(""));
      } else if (run.length >= 3) { result.push(run.join("")); } else { result = result.concat(run); }
      run = [];
      if (word) { result.push(word); }
    });
    return result;
  }

  function normalise(text) {
    var look = rules.lookAlikes;
    text = (text || "").normalize("NFKC").replace(/([a-z])(I+)/g, function (m, a, b) { return a + b.replace(/I/g, "l"); });
    text = text.toLowerCase();
    text = text.replace(/\bod(?:['\u2018\u2019]e?d|ed)\b/g, "overdosed");
    text = text.replace(/['\u2018\u2019\u02bc`\u00b4]/g, "");
    text = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    text = text.replace(/([a-z])([0134579@$!])(?=[a-z])/g, function (m, a, b) { return a + look[b]; });
    text = text.replace(/(^|[^0-9a-z])([@$])(?=[a-z])/g, function (m, a, b) { return a + look[b]; });
    text = text.replace(/[a-z0-9]*[a-z][a-z0-9]*/g, digitsAsLetters);
    text = text.replace(/([a-z])[*#](?=[a-z])/g, "$1i");
    text = text.replace(/([a-z])\.(?=[a-z])/g, "$1");
    text = text.replace(/[.!?;:\u2026\u00a1\u00bf\r\n]+/g, " | ");  // sentence ends, while near misses go
    text = text.replace(/[^0-9a-z|]+/g, " ").replace(/([a-z])\1{2,}/g, "$1");
    return joinSpacedLetters(text.split(" ").filter(Boolean)).join(" ");
  }

  // Optimal string alignment distance (a swap of two neighbours is one edit), as rapidfuzz's OSA.
  function osa(a, b) {
    var rows = [];
    for (var i = 0; i <= a.length; i++) { rows.push([i]); }
    for (var j = 1; j <= b.length; j++) { rows[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
        }
      }
    }
    return rows[a.length][b.length];
  }

  function sounds(word) { return word.replace(/b/g, "v").replace(/qu/g, "k").replace(/q/g, "k").replace(/y/g, "i"); }
  function sorted(word) { return word.split("").sort().join(""); }

  function canonical(word) {
    if (word.length < 3 || rules.keywordSet.has(word) || rules.known.has(word) || !/^[a-z]+$/.test(word)) {
      return word;
    }
    var sound = sounds(word), best = word, bestDistance = null;
    rules.keywords.forEach(function (keyword) {
      var limit = keyword.length <= 7 ? 1 : 2, target = sounds(keyword);
      if (target[0] !== sound[0] || Math.abs(keyword.length - word.length) > limit) { return; }
      var distance = osa(sound, target);
      if (distance > limit) { return; }
      if (distance && keyword.length <= 3 && sorted(sound) !== sorted(target)) { return; }
      if (distance && keyword.length <= 5 && word.length === keyword.length && sorted(sound) !== sorted(target)) {
        return;
      }
      if (bestDistance === null || distance < bestDistance) { best = keyword; bestDistance = distance; }
    });
    return best;
  }

  function read(text) {
    return normalise(text).split(" ").filter(Boolean).map(canonical).join(" ");
  }

  // Near misses out, then the phrases, in the text with its sentence ends (" | ") and without them.
  function mentions(text) {
    var withEnds = read(text).replace(rules.nearMisses, " ~ ").split(" ").filter(Boolean);
    var withoutEnds = withEnds.filter(function (word) { return word !== "|"; });
    return rules.phrases.test(withEnds.join(" ")) || rules.phrases.test(withoutEnds.join(" "));
  }

  // Whether any of ``texts`` holds crisis language: a Promise of true or false.
  function mentionsCrisis(texts) {
    var words = texts.filter(function (text) { return text; });
    if (!words.length) { return Promise.resolve(false); }
    return load().then(function () { return words.some(mentions); });
  }

  window.diaryCrisis = {load: load, mentionsCrisis: mentionsCrisis, read: function (text) {
    return load().then(function () { return read(text); });
  }};
  if (navigator.onLine) { load().catch(function () {}); }
})();
