// athq report: draws each time series with uPlot and makes tables sortable. Each chart element
// gets data-points (the x values drawn) and data-ink (the share of the canvas painted), for tests.
(function () {
  var data = JSON.parse(document.getElementById('athq-charts').textContent);
  var colours = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];
  var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  function human(v, bytes) {
    if (v == null) return '';
    var base = bytes ? 1024 : 1000, i = 0, a = Math.abs(v);
    while (a >= base && i < 5) { a /= base; v /= base; i++; }
    var text = (i === 0 ? String(Math.round(v * 10) / 10) : v.toFixed(1));
    return bytes ? text + ' ' + units[i] : text + ['', 'k', 'M', 'G', 'T', 'P'][i];
  }
  function ink(u) {
    var c = u.ctx.canvas, px = u.ctx.getImageData(0, 0, c.width, c.height).data, n = 0;
    for (var i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
    return n / (c.width * c.height);
  }
  data.forEach(function (chart) {
    chart.series.forEach(function (s, j) {
      var el = document.getElementById('chart-' + chart.index + '-' + j);
      var width = Math.max(320, el.clientWidth || 900);
      var opts = {
        title: s.name,
        width: width,
        height: 220,
        tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
        legend: { live: true },
        series: [
          { label: 'time (UTC)' },
          { label: s.name, stroke: colours[j % colours.length], width: 2,
            fill: colours[j % colours.length] + '22', value: function (u, v) { return human(v, s.bytes); } }
        ],
        axes: [{}, { size: 70, values: function (u, vals) { return vals.map(function (v) { return human(v, s.bytes); }); } }],
        hooks: {
          draw: [function (u) {
            el.setAttribute('data-points', String(u.data[0].length));
            el.setAttribute('data-ink', ink(u).toFixed(4));
          }]
        }
      };
      new uPlot(opts, [chart.times, s.values], el);
    });
  });
  // Sortable tables: click a heading to sort by it, again to reverse.
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener('click', function () {
        var num = th.hasAttribute('data-num');
        var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute('data-v') || a.cells[col].textContent;
          var y = b.cells[col].getAttribute('data-v') || b.cells[col].textContent;
          if (num) { x = x === 'NULL' ? -Infinity : parseFloat(x); y = y === 'NULL' ? -Infinity : parseFloat(y); return dir * (x - y); }
          return dir * x.localeCompare(y);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
