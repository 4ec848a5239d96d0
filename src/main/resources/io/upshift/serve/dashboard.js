// Upshift dashboard: the steering token (kept in this tab only), the steering buttons, the
// capability chart, and a record of when each journal event reached the screen.
(function () {
  "use strict";
  var KEY = "upshift-token";

  function token() {
    return sessionStorage.getItem(KEY) || "";
  }

  function setMode(ok, text) {
    var m = document.getElementById("mode");
    if (!m) return;
    m.textContent = text;
    m.className = "mode " + (ok ? "rw" : "ro");
    document.body.dataset.mode = ok ? "steer" : "read-only";
  }

  function checkToken() {
    var t = token();
    if (!t) {
      setMode(false, "read-only: no steering token");
      return;
    }
    fetch("/api/token", { method: "POST", headers: { "X-Upshift-Token": t } }).then(
      function (r) {
        if (r.status === 204) setMode(true, "steering enabled");
        else setMode(false, "read-only: the token was refused (" + r.status + ")");
      },
      function () {
        setMode(false, "read-only: the dashboard does not answer");
      }
    );
  }

  // A token given in the address (#token=...) is taken and removed from it: the fragment never
  // leaves the browser, and the address bar no longer shows it.
  if (location.hash.indexOf("#token=") === 0) {
    sessionStorage.setItem(KEY, decodeURIComponent(location.hash.substring(7)));
    history.replaceState(null, "", location.pathname + location.search);
  }

  function requestId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  function steer(act) {
    var run = document.getElementById("run").dataset.run;
    var out = document.getElementById("steer-result");
    if ((act === "abort" || act === "abort-undo" || act === "reject") &&
        !window.confirm("Really " + act.replace("-", " and ") + " run " + run + "?")) {
      return;
    }
    var body = new URLSearchParams();
    body.set("by", document.getElementById("by").value);
    body.set("comment", document.getElementById("comment").value);
    out.textContent = "sending " + act + "…";
    out.dataset.status = "";
    fetch("/api/runs/" + encodeURIComponent(run) + "/" + act, {
      method: "POST",
      headers: { "X-Upshift-Token": token(), "X-Upshift-Request": requestId() },
      body: body
    }).then(function (r) {
      return r.text().then(function (text) {
        out.dataset.status = String(r.status);
        out.dataset.act = act;
        out.className = r.ok ? "ok" : "error";
        out.textContent = (r.ok ? "" : "refused (" + r.status + "): ") + text;
      });
    }, function (e) {
      out.className = "error";
      out.textContent = "the dashboard does not answer: " + e;
    });
  }

  // When each event number reached the screen (for the benchmark; the last 2,000 kept).
  window.upshiftSeen = [];
  function watchStatus() {
    var part = document.getElementById("part-status");
    if (!part) return;
    var last = null;
    var note = function () {
      var line = document.getElementById("status-line");
      if (!line || line.dataset.seq === last) return;
      last = line.dataset.seq;
      window.upshiftSeen.push([Number(last), Date.now()]);
      if (window.upshiftSeen.length > 2000) window.upshiftSeen.splice(0, 1000);
    };
    note();
    new MutationObserver(note).observe(part, { childList: true, subtree: true });
  }

  var chart = null;
  var chartData = null;
  function drawChart() {
    var el = document.getElementById("windows-chart");
    if (!el || !window.echarts) return;
    var data = el.dataset.windows || "[]";
    if (data === chartData && chart && chart.getDom() === el) return;
    chartData = data;
    var rows = JSON.parse(data);
    if (chart) chart.dispose();
    if (!rows.length) { chart = null; el.style.height = "0"; return; }
    var names = [];
    rows.forEach(function (r) {
      var n = r.c + " (" + r.k + ")";
      if (names.indexOf(n) < 0) names.push(n);
    });
    el.style.height = Math.max(120, 28 * names.length + 60) + "px";
    chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 180, right: 20, top: 10, bottom: 30 },
      xAxis: { type: "value", axisLabel: { formatter: function (v) { return Math.round(v / 60000) + "m"; } } },
      yAxis: { type: "category", data: names },
      tooltip: { formatter: function (p) { return p.name + ": " + Math.round(p.value[1] / 1000) + "s – " + Math.round(p.value[2] / 1000) + "s"; } },
      series: [{
        type: "custom",
        renderItem: function (params, api) {
          var y = api.value(0), s = api.coord([api.value(1), y]), e = api.coord([api.value(2), y]);
          var h = api.size([0, 1])[1] * 0.6;
          return { type: "rect", shape: { x: s[0], y: s[1] - h / 2, width: Math.max(1, e[0] - s[0]), height: h },
                   style: api.style({ fill: api.value(3) ? "#c0392b" : "#95a5a6" }) };
        },
        encode: { x: [1, 2], y: 0 },
        data: rows.map(function (r) {
          return { name: r.c + " (" + r.k + ")", value: [names.indexOf(r.c + " (" + r.k + ")"), r.s, r.e, r.k === "measured" ? 1 : 0] };
        })
      }]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("token-form");
    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var input = document.getElementById("token");
        sessionStorage.setItem(KEY, input.value.trim());
        input.value = "";
        checkToken();
      });
    }
    document.querySelectorAll("button.act").forEach(function (b) {
      b.addEventListener("click", function () { steer(b.dataset.act); });
    });
    checkToken();
    watchStatus();
    var caps = document.getElementById("part-capabilities");
    if (caps) {
      drawChart();
      new MutationObserver(drawChart).observe(caps, { childList: true });
    }
  });
})();
