// Draws the run report's charts from REPORT (times in seconds from the run's start).
(function () {
  'use strict';
  var COLORS = {
    succeeded: '#3b8f4f', failed: '#d9822b', halted: '#c23030', aborted: '#8a6d3b',
    paused: '#5c7080', running: '#137cbd', 'not-started': '#ced9e0',
    predicted: '#a7b6c2', p95: '#d8e1e8', measured: '#c23030', probe: '#7157d9',
    step: '#8fbfdf', stepAlt: '#5e9dc8', batch: '#1f5f8b', batchFailed: '#c23030'
  };

  function clock(s) {
    s = Math.max(0, Math.round(s));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, x = s % 60;
    return h + ':' + (m < 10 ? '0' : '') + m + ':' + (x < 10 ? '0' : '') + x;
  }

  // A custom-series renderer: a bar from value[1] to value[2] on category row value[0], of a
  // share of the row's height, shifted by a share of it (so that lanes can share a row).
  function bars(height, shift) {
    return function (params, api) {
      var row = api.value(0);
      var from = api.coord([api.value(1), row]);
      var to = api.coord([api.value(2), row]);
      var band = api.size([0, 1])[1];
      var h = band * height;
      var shape = echarts.graphic.clipRectByRect(
        { x: from[0], y: from[1] - h / 2 + band * shift, width: Math.max(to[0] - from[0], 1), height: h },
        { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
      return shape && { type: 'rect', shape: shape, style: api.style() };
    };
  }

  function series(name, data, height, shift, color) {
    return {
      type: 'custom', name: name, renderItem: bars(height, shift),
      itemStyle: { color: color }, encode: { x: [1, 2], y: 0 }, data: data
    };
  }

  // A tick interval that gives at most twelve round ticks over a span of seconds.
  function interval(span) {
    var steps = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * 12 >= span) return steps[i];
    }
    return Math.ceil(span / 12 / 86400) * 86400;
  }

  function item(row, start, end, color, label) {
    return { value: [row, start, end], itemStyle: { color: color }, name: label };
  }

  function chart(el, rows, allSeries, min, max) {
    var step = interval(Math.max(max - min, 1));
    min = Math.floor(min / step) * step;
    max = Math.max(min + step, Math.ceil(max / step) * step);
    el.style.height = Math.max(160, rows.length * 26 + 70) + 'px';
    var c = echarts.init(el, null, { renderer: 'svg' });
    c.setOption({
      animation: false,
      grid: { left: 12, right: 24, top: 30, bottom: 30, containLabel: true },
      tooltip: {
        formatter: function (p) {
          return echarts.format.encodeHTML(p.name) + '<br>' + clock(p.value[1]) + ' – ' + clock(p.value[2]) +
            ' (' + clock(p.value[2] - p.value[1]) + ')';
        }
      },
      legend: { top: 0, data: allSeries.map(function (s) { return s.name; }) },
      xAxis: {
        type: 'value', min: min, max: max, interval: step,
        axisLabel: { formatter: clock }, splitLine: { lineStyle: { color: '#eef2f5' } }
      },
      yAxis: {
        type: 'category', data: rows, inverse: true,
        axisLabel: { width: 260, overflow: 'truncate' }
      },
      series: allSeries
    });
    window.addEventListener('resize', function () { c.resize(); });
    return c;
  }

  function timeline() {
    var el = document.getElementById('timeline-chart');
    if (!el) return;
    var rows = [], measured = [], steps = [], predicted = [];
    REPORT.stages.forEach(function (st, i) {
      rows.push(st.name);
      if (st.start !== null) {
        measured.push(item(i, st.start, st.end, COLORS[st.status] || COLORS.running,
          st.name + ' (' + st.status + ')'));
      }
      st.steps.forEach(function (s, j) {
        if (s.start !== null) {
          steps.push(item(i, s.start, s.end,
            s.failed > 0 ? COLORS.batchFailed : (j % 2 ? COLORS.stepAlt : COLORS.step),
            st.name + ' › ' + s.label + (s.failed > 0 ? ' (' + s.failed + ' failed)' : '')));
        }
      });
      if (st.predicted) {
        predicted.push(item(i, st.predicted[0], st.predicted[1], COLORS.predicted,
          st.name + ' (predicted)'));
      }
    });
    var all = [series('stage', measured, 0.28, -0.3, COLORS.succeeded),
      series('steps', steps, 0.28, 0, COLORS.stepAlt)];
    if (predicted.length) all.push(series('predicted', predicted, 0.18, 0.3, COLORS.predicted));
    chart(el, rows, all, 0, Math.max(REPORT.makespan, REPORT.predictedMakespan || 0));
  }

  function stage(el) {
    var st = REPORT.stages[+el.getAttribute('data-stage')];
    var rows = [], spans = [], batches = [];
    st.steps.forEach(function (s, j) {
      rows.push(s.label);
      if (s.start !== null) {
        spans.push(item(j, s.start, Math.max(s.end, s.start), COLORS.step, s.label));
      }
      s.batches.forEach(function (b, k) {
        batches.push(item(j, b[0], Math.max(b[1], b[0]),
          b[2] > 0 ? COLORS.batchFailed : COLORS.batch,
          s.label + ', batch ' + (k + 1) + (b[2] > 0 ? ' (' + b[2] + ' failed)' : '')));
      });
    });
    chart(el, rows, [series('step', spans, 0.6, 0, COLORS.step),
      series('batch', batches, 0.3, 0, COLORS.batch)],
      st.start === null ? 0 : st.start, st.end === null ? 0 : st.end);
  }

  function capabilities() {
    var el = document.getElementById('capability-chart');
    if (!el) return;
    var rows = [], expected = [], p95 = [], measured = [], probes = [];
    REPORT.capabilities.forEach(function (c) {
      var row = rows.length;
      rows.push(c.name);
      (c.p95 || []).forEach(function (w) {
        p95.push(item(row, w[0], w[1], COLORS.p95, c.name + ': predicted, 95th percentile'));
      });
      (c.expected || []).forEach(function (w) {
        expected.push(item(row, w[0], w[1], COLORS.predicted, c.name + ': predicted, expected'));
      });
      c.measured.forEach(function (w) {
        measured.push(item(row, w[0], w[1], COLORS.measured,
          c.name + ': measured' + (w[2] ? ' (still down at the end)' : '')));
      });
      c.probes.forEach(function (p) {
        p.windows.forEach(function (w) {
          probes.push(item(row, w[0], w[1], COLORS.probe, c.name + ': probe ' + p.probe));
        });
      });
    });
    var all = [series('predicted p95', p95, 0.22, -0.27, COLORS.p95),
      series('predicted', expected, 0.22, -0.27, COLORS.predicted),
      series('measured', measured, 0.22, 0, COLORS.measured)];
    if (probes.length) all.push(series('probes', probes, 0.22, 0.27, COLORS.probe));
    chart(el, rows, all, 0, Math.max(REPORT.makespan, REPORT.predictedMakespan || 0));
  }

  timeline();
  capabilities();
  // A stage's chart is drawn when its details open (a hidden element has no size to draw in).
  document.querySelectorAll('details[data-stage]').forEach(function (d) {
    function draw() {
      var el = d.querySelector('.stage-chart');
      if (d.open && el && !el.getAttribute('data-drawn')) {
        el.setAttribute('data-drawn', '1');
        stage(el);
      }
    }
    d.addEventListener('toggle', draw);
    draw();
  });
  var filter = document.getElementById('failure-filter');
  if (filter) {
    filter.addEventListener('input', function () {
      var q = filter.value.toLowerCase();
      document.querySelectorAll('#failures details').forEach(function (d) {
        d.style.display = d.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
      });
    });
  }
})();
