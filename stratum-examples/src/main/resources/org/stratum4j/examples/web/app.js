// Draws each .chart[data-url] with uPlot from the dashboard's JSON API, and redraws every minute.
// Everything shown comes from numbers and from names set with textContent, never as HTML.
(function () {
  "use strict";
  var UNITS = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s", "ZH/s"];
  var COLORS = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568"];

  function hashrate(v) {
    if (!(v > 0)) return "0";
    var u = 0;
    while (v >= 1000 && u < UNITS.length - 1) { v /= 1000; u++; }
    return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + " " + UNITS[u];
  }

  function draw(el, json) {
    var names = Object.keys(json.series);
    var times = names.length ? json.series[names[0]].map(function (p) { return p[0]; }) : [];
    var data = [times];
    var series = [{}];
    var nonZero = 0;
    // On a miner's page the address is the heading: the legend names workers by what follows it.
    var strip = parseInt(el.getAttribute("data-strip") || "0", 10);
    names.forEach(function (name, i) {
      var values = json.series[name].map(function (p) { if (p[1] > 0) nonZero++; return p[1]; });
      data.push(values);
      var label = strip > 0 && name.length > strip ? name.substring(strip) : name;
      series.push({ label: label, stroke: COLORS[i % COLORS.length], width: 2, value: function (u, v) { return v == null ? "-" : hashrate(v); } });
    });
    el.textContent = "";
    var width = Math.max(260, el.clientWidth || 600);
    new uPlot({
      width: width,
      height: 240,
      series: series,
      axes: [{}, { size: 80, values: function (u, vals) { return vals.map(hashrate); } }],
      legend: { show: names.length <= 8 }
    }, data, el);
    el.setAttribute("data-points", String(nonZero));
    el.classList.add("ready");
  }

  function load(el) {
    fetch(el.getAttribute("data-url"), { headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (json) { draw(el, json); })
      .catch(function (e) { el.textContent = "Chart unavailable (" + e.message + ")"; });
  }

  function all() {
    document.querySelectorAll(".chart[data-url]").forEach(load);
  }

  all();
  setInterval(all, 60000);
})();
