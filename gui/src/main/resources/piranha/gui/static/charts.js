// CONTROL/MONITORING's live charts: per virtual service connections/s and bytes/s, per real server
// check latency and a health strip, from the GUI's in-memory history (GET /charts, JSON), drawn
// with uPlot. Fetched again after every live update of the panels (app.js fires 'status-updated')
// and when the service or the range changes. Colours come from the style sheet's variables, so
// dark mode applies; every chart has its figures in words too (#chart-now, the strips' labels).
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var panel = document.getElementById('charts-panel');
  if (!panel || typeof uPlot === 'undefined') {
    return;
  }
  var serviceSelect = document.getElementById('chart-service');
  var rangeSelect = document.getElementById('chart-range');
  var now = document.getElementById('chart-now');
  var healthBox = document.getElementById('chart-health');
  var plots = {};
  var state = { data: null, plots: plots };
  window.piranhaCharts = state;

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
  }
  var PALETTE = ['#1d5fa8', '#c2410c', '#15803d', '#7c3aed', '#b91c1c', '#0e7490', '#a16207', '#be185d'];

  function bytes(v) {
    if (v == null) {
      return '-';
    }
    var units = ['B', 'KB', 'MB', 'GB', 'TB'];
    var i = 0;
    while (Math.abs(v) >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return (i === 0 ? Math.round(v) : v.toFixed(1)) + ' ' + units[i];
  }

  function width(el) {
    return Math.max(200, Math.floor(el.getBoundingClientRect().width));
  }

  function axes(format) {
    var fg = css('--muted');
    var grid = { stroke: css('--line'), width: 1 };
    var y = { stroke: fg, grid: grid, ticks: grid, size: 64 };
    if (format) {
      y.values = function (u, vals) {
        return vals.map(format);
      };
    }
    return [{ stroke: fg, grid: grid, ticks: grid }, y];
  }

  // One chart, made again when its series change (another service, other real servers).
  function draw(id, names, columns, format) {
    var el = document.getElementById(id);
    var key = names.join('\u0000');
    var p = plots[id];
    if (p && p.key === key) {
      p.plot.setData(columns);
      return;
    }
    if (p) {
      p.plot.destroy();
    }
    var series = [{}];
    names.forEach(function (n, i) {
      var color = PALETTE[i % PALETTE.length];
      series.push({ label: n, stroke: color, width: 2, spanGaps: false,
        value: format ? function (u, v) { return format(v); } : undefined });
    });
    var opts = { width: width(el), height: 180, series: series, axes: axes(format),
      scales: { x: { time: true } }, cursor: { drag: { x: false, y: false } } };
    plots[id] = { key: key, plot: new uPlot(opts, columns, el) };
  }

  function strips(servers, t) {
    healthBox.textContent = '';
    if (servers.length === 0) {
      var none = document.createElement('p');
      none.className = 'help';
      none.textContent = 'No real server of this virtual server was seen.';
      healthBox.appendChild(none);
      return;
    }
    var SVG = 'http://www.w3.org/2000/svg';
    var WORD = { up: '\u25B2 up', down: '\u25BC down', quiesced: '\u25D1 quiesced', changed: '\u21C5 changed', unknown: '? unknown' };
    servers.forEach(function (s) {
      var row = document.createElement('div');
      row.className = 'strip';
      var last = null;
      var up = 0;
      var seen = 0;
      s.health.forEach(function (h) {
        if (h) {
          last = h;
          seen++;
          if (h === 'up') {
            up++;
          }
        }
      });
      var label = document.createElement('span');
      label.textContent = s.name + ' ' + s.endpoint + ': ' + (last ? WORD[last] || last : 'no data') +
        (seen ? ', up in ' + Math.round(100 * up / seen) + ' % of the intervals' : '');
      row.appendChild(label);
      var svg = document.createElementNS(SVG, 'svg');
      svg.setAttribute('viewBox', '0 0 ' + Math.max(1, t.length) + ' 1');
      svg.setAttribute('preserveAspectRatio', 'none');
      svg.setAttribute('aria-hidden', 'true');
      s.health.forEach(function (h, i) {
        if (!h) {
          return;
        }
        var r = document.createElementNS(SVG, 'rect');
        r.setAttribute('x', i);
        r.setAttribute('y', 0);
        r.setAttribute('width', 1.02);
        r.setAttribute('height', 1);
        r.setAttribute('class', 'h-' + (h === 'changed' ? 'quiesced' : h));
        svg.appendChild(r);
      });
      row.appendChild(svg);
      healthBox.appendChild(row);
    });
  }

  function lastValue(a) {
    for (var i = a.length - 1; i >= 0; i--) {
      if (a[i] != null) {
        return a[i];
      }
    }
    return null;
  }

  function render(d) {
    state.data = d;
    // keep the service list current (services added or removed by a reload)
    var chosen = serviceSelect.value;
    if (d.services.join('\u0000') !== Array.prototype.map.call(serviceSelect.options, function (o) { return o.value; }).join('\u0000')) {
      serviceSelect.textContent = '';
      d.services.forEach(function (n) {
        var o = document.createElement('option');
        o.value = n;
        o.textContent = n;
        serviceSelect.appendChild(o);
      });
      serviceSelect.value = d.services.indexOf(chosen) >= 0 ? chosen : d.service;
    }
    draw('chart-conns', ['connections/s'], [d.t, d.conns]);
    draw('chart-bytes', ['in/s', 'out/s'], [d.t, d.bytesIn, d.bytesOut], bytes);
    draw('chart-latency', d.servers.map(function (s) { return s.name + ' ' + s.endpoint; }),
      [d.t].concat(d.servers.map(function (s) { return s.latency; })), function (v) { return v == null ? '-' : v + ' ms'; });
    strips(d.servers, d.t);
    var c = lastValue(d.conns);
    now.textContent = d.service === '' ? 'No virtual server seen yet.'
      : d.service + ' now: ' + (c == null ? 'no rate yet' : c + ' connections/s, ' + bytes(lastValue(d.bytesIn)) + '/s in, ' +
        bytes(lastValue(d.bytesOut)) + '/s out') + '.';
    document.dispatchEvent(new Event('charts-updated'));
  }

  var pending = false;
  function refresh() {
    if (pending) {
      return;
    }
    pending = true;
    fetch('/charts?service=' + encodeURIComponent(serviceSelect.value) + '&range=' + encodeURIComponent(rangeSelect.value),
      { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (r.redirected || !r.ok || (r.headers.get('Content-Type') || '').indexOf('application/json') !== 0) {
          throw new Error('charts: ' + r.status);
        }
        return r.json();
      })
      .then(render)
      .catch(function (e) {
        now.textContent = 'The charts could not be updated (' + e.message + ').';
      })
      .then(function () {
        pending = false;
      });
  }
  state.refresh = refresh;

  serviceSelect.addEventListener('change', refresh);
  rangeSelect.addEventListener('change', refresh);
  document.addEventListener('status-updated', refresh);
  var resizing = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      Object.keys(plots).forEach(function (id) {
        plots[id].plot.setSize({ width: width(document.getElementById(id)), height: 180 });
      });
    }, 150);
  });
  refresh();
});
