// Trends chart: touch, a pointer or the arrow keys pick a day; its figures, check-ins and any session
// show in place, under the chart (no navigation). Progressive enhancement: without this file the
// chart is a picture and the table under it lists the days, each linked to its check-ins.
// The days come from the page's JSON block (#chart-days, see diary.charts.day_details); beyond a
// year they are weeks (a finger covers weeks there).
(function () {
  "use strict";
  var root = document.querySelector("[data-chart-explorer]");
  var source = document.getElementById("chart-days");
  if (!root || !source) { return; }
  var chart = root.querySelector("svg.chart");
  var panel = root.querySelector("[data-day-panel]");
  var days;
  try { days = JSON.parse(source.textContent); } catch (error) { return; }
  if (!chart || !panel || !days.length) { return; }
  var svgNS = "http://www.w3.org/2000/svg";
  var viewWidth = Number(chart.dataset.viewWidth);
  var top = Number(chart.dataset.plotTop);
  var bottom = top + Number(chart.dataset.plotHeight);
  var historyUrl = root.dataset.historyUrl;
  var current = -1;

  // The selection: a line across the plot and a ring round the day's point.
  var mark = document.createElementNS(svgNS, "g");
  mark.setAttribute("class", "selection");
  mark.setAttribute("aria-hidden", "true");
  var line = document.createElementNS(svgNS, "line");
  line.setAttribute("y1", top);
  line.setAttribute("y2", bottom);
  var ring = document.createElementNS(svgNS, "circle");
  ring.setAttribute("r", "5");
  mark.appendChild(line);
  mark.appendChild(ring);

  chart.setAttribute("tabindex", "0");
  chart.setAttribute("role", "slider");
  chart.setAttribute("aria-valuemin", "1");
  chart.setAttribute("aria-valuemax", String(days.length));
  chart.setAttribute("aria-orientation", "horizontal");
  // Until a day is picked the slider stands on the latest one (the first arrow key shows it).
  chart.setAttribute("aria-valuenow", String(days.length));
  chart.setAttribute("aria-valuetext", days[days.length - 1].label);
  chart.setAttribute("data-interactive", "true");
  var hint = root.querySelector("[data-js-only]");
  if (hint) {
    hint.hidden = false;
    hint.id = "chart-hint";
    chart.setAttribute("aria-describedby", "chart-hint chart-desc");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function show(index) {
    if (index < 0 || index >= days.length) { return; }
    current = index;
    var day = days[index];
    line.setAttribute("x1", day.x);
    line.setAttribute("x2", day.x);
    if (day.y === undefined) {
      ring.setAttribute("visibility", "hidden");
    } else {
      ring.setAttribute("visibility", "visible");
      ring.setAttribute("cx", day.x);
      ring.setAttribute("cy", day.y);
    }
    if (!mark.parentNode) { chart.appendChild(mark); }
    chart.setAttribute("aria-valuenow", String(index + 1));
    chart.setAttribute("aria-valuetext", day.label);

    // Built from text nodes only (the words come from the server, never parsed as HTML: the day's
    // in its JSON block, the rest in the page's words, diary/web/js_words.py).
    var body = document.createDocumentFragment();
    var heading = element("p", "day-panel-date");
    var time = element("time", "", day.label);
    time.setAttribute("datetime", day.date);
    heading.appendChild(time);
    body.appendChild(heading);
    body.appendChild(element("p", "day-panel-summary", day.summary));
    if (day.checkins) {
      var list = element("ul", "day-panel-checkins");
      list.setAttribute("aria-label", diary.word("checkins"));
      day.checkins.forEach(function (text) { list.appendChild(element("li", "", text)); });
      body.appendChild(list);
    }
    (day.sessions || []).forEach(function (text) {
      body.appendChild(element("p", "day-panel-session", diary.word("session", {session: text})));
    });
    if (historyUrl) {
      var link = element("a", "", diary.word(day.to ? "openWeekInHistory" : "openDayInHistory"));
      link.href = historyUrl + "?from=" + day.date + "&to=" + (day.to || day.date);
      var more = element("p", "day-panel-link");
      more.appendChild(link);
      body.appendChild(more);
    }
    panel.textContent = "";
    panel.appendChild(body);
    panel.hidden = false;
  }

  // The day with data nearest the finger (in viewBox units, whatever the chart's width on screen).
  function nearest(clientX) {
    var box = chart.getBoundingClientRect();
    var x = (clientX - box.left) * viewWidth / box.width;
    var best = 0;
    for (var i = 1; i < days.length; i++) {
      if (Math.abs(days[i].x - x) < Math.abs(days[best].x - x)) { best = i; }
    }
    return best;
  }

  var dragging = false;
  chart.addEventListener("pointerdown", function (event) {
    dragging = true;
    show(nearest(event.clientX));
  });
  chart.addEventListener("pointermove", function (event) {
    // A finger sliding along the chart (the page still scrolls vertically: touch-action pan-y).
    if (dragging || event.pointerType === "mouse") {
      if (event.pointerType === "mouse" && !dragging) { return; }
      var index = nearest(event.clientX);
      if (index !== current) { show(index); }
    }
  });
  chart.addEventListener("pointerup", function () {
    dragging = false;
    // The details sit under the chart's legend: bring them on screen once the finger lifts.
    // On a phone the navigation bar covers the bottom of the screen (html's scroll-padding keeps it clear).
    var nav = document.querySelector(".main-nav");
    var bottom = window.innerHeight;
    if (nav && getComputedStyle(nav).position === "fixed") { bottom = nav.getBoundingClientRect().top; }
    var box = panel.getBoundingClientRect();
    if (box.bottom > bottom && panel.scrollIntoView) { panel.scrollIntoView({block: "nearest"}); }
  });
  ["pointercancel", "pointerleave"].forEach(function (name) {
    chart.addEventListener(name, function () { dragging = false; });
  });

  chart.addEventListener("keydown", function (event) {
    var index = current < 0 ? days.length - 1 : current;
    var target;
    switch (event.key) {
      case "ArrowLeft": case "ArrowDown": target = current < 0 ? index : index - 1; break;
      case "ArrowRight": case "ArrowUp": target = current < 0 ? index : index + 1; break;
      case "Home": target = 0; break;
      case "End": target = days.length - 1; break;
      case "PageUp": target = index + 7; break;
      case "PageDown": target = index - 7; break;
      default: return;
    }
    event.preventDefault();
    show(Math.max(0, Math.min(days.length - 1, target)));
  });
})();
