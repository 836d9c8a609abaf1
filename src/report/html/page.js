// Filtering and sorting of the entries table. State lives in the URL (#status=fail&track=ai&
// rule=runtime.max&q=text&sort=runtime&dir=desc, or the same as ?query), so a filtered view can
// be bookmarked or sent as a link. Plain ES5-ish DOM code: the page must work offline in any
// browser, and reads top to bottom without it (problems first).
(function () {
  var table = document.getElementById('entries');
  // A page of one entry has no table: nothing to sort or filter.
  if (!table) { document.documentElement.setAttribute('data-ready', 'true'); return; }
  var details = document.getElementById('details');
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var q = document.getElementById('q');
  var status = document.getElementById('status');
  var track = document.getElementById('track');
  var shown = document.getElementById('shown');
  var ruleFilter = document.getElementById('rule-filter');
  var state = { q: '', status: '', track: '', rule: '', sort: '', dir: 'asc' };
  // The summary's counts filter the table by their status when clicked; a second click
  // clears it. They are links too (#status=fail), for a page read without its script.
  var counts = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  counts.forEach(function (c) {
    c.addEventListener('click', function (ev) {
      ev.preventDefault();
      var f = c.getAttribute('data-filter');
      state.status = state.status === f ? '' : f;
      state.rule = '';
      sync(); writeUrl(); apply();
    });
  });
  // The tally of problems by rule shows the entries that failed the rule clicked.
  var tallies = Array.prototype.slice.call(document.querySelectorAll('.tally-rule[data-rule]'));
  tallies.forEach(function (t) {
    t.addEventListener('click', function (ev) {
      ev.preventDefault();
      var r = t.getAttribute('data-rule');
      state.rule = state.rule === r ? '' : r;
      state.status = '';
      sync(); writeUrl(); apply();
    });
  });

  function readUrl() {
    var parts = [location.search.replace(/^\?/, ''), location.hash.replace(/^#/, '')];
    parts.forEach(function (part) {
      if (part.indexOf('=') < 0) return; // a plain #anchor, not a view
      part.split('&').forEach(function (kv) {
        var i = kv.indexOf('=');
        if (i < 0) return;
        var k = decodeURIComponent(kv.slice(0, i));
        var v = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, ' '));
        if (k in state) state[k] = v;
      });
    });
  }

  function writeUrl() {
    var kv = [];
    ['status', 'track', 'rule', 'q', 'sort'].forEach(function (k) {
      if (state[k]) kv.push(k + '=' + encodeURIComponent(state[k]));
    });
    if (state.sort && state.dir === 'desc') kv.push('dir=desc');
    if (history.replaceState) {
      history.replaceState(null, '', kv.length ? '#' + kv.join('&') : location.pathname + location.search);
    }
  }

  function apply() {
    var needle = state.q.toLowerCase();
    var visible = 0;
    rows.forEach(function (row) {
      // The four verdicts do not overlap: "warn" is a pass with failed warnings, "pass" a
      // pass without.
      var rules = ' ' + row.getAttribute('data-rules') + ' ';
      var ok = (!state.status || row.getAttribute('data-verdict') === state.status) &&
        (!state.track || row.getAttribute('data-track') === state.track) &&
        (!state.rule || rules.indexOf(' ' + state.rule + ' ') >= 0) &&
        (!needle || row.getAttribute('data-text').indexOf(needle) >= 0);
      row.classList.toggle('hidden', !ok);
      var detail = document.getElementById(row.getAttribute('data-detail'));
      if (detail) detail.classList.toggle('hidden', !ok);
      if (ok) visible++;
    });
    shown.textContent = visible + ' of ' + rows.length + ' entries';
    shown.setAttribute('data-visible', visible);
    counts.forEach(function (c) {
      c.setAttribute('aria-pressed', c.getAttribute('data-filter') === state.status ? 'true' : 'false');
    });
    tallies.forEach(function (t) {
      t.setAttribute('aria-pressed', t.getAttribute('data-rule') === state.rule ? 'true' : 'false');
    });
    if (ruleFilter) {
      ruleFilter.hidden = !state.rule;
      ruleFilter.textContent = state.rule ? 'failing ' + state.rule : '';
    }
    sort();
  }

  function sort() {
    var col = -1;
    heads.forEach(function (th, i) {
      var on = th.getAttribute('data-key') === state.sort;
      if (on) col = i;
      if (on) th.setAttribute('aria-sort', state.dir === 'desc' ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
    var ordered = rows.slice();
    if (col >= 0) {
      var numeric = heads[col].getAttribute('data-type') === 'num';
      var sign = state.dir === 'desc' ? -1 : 1;
      ordered.sort(function (a, b) {
        var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
        // Unknown values go last whichever way the column is sorted.
        if (x === '' || y === '') return ((x === '') - (y === '')) || (rows.indexOf(a) - rows.indexOf(b));
        var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return c * sign || (rows.indexOf(a) - rows.indexOf(b));
      });
    }
    ordered.forEach(function (row) {
      tbody.appendChild(row);
      // The cards below follow the table's order.
      var detail = document.getElementById(row.getAttribute('data-detail'));
      if (detail && details) details.appendChild(detail);
    });
  }

  heads.forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      state.dir = state.sort === key && state.dir === 'asc' ? 'desc' : 'asc';
      state.sort = key;
      writeUrl();
      apply();
    });
  });
  [[q, 'q', 'input'], [status, 'status', 'change'], [track, 'track', 'change']].forEach(function (c) {
    if (!c[0]) return;
    c[0].addEventListener(c[2], function () { state[c[1]] = c[0].value; writeUrl(); apply(); });
  });
  window.addEventListener('hashchange', function () {
    if (location.hash.indexOf('=') < 0) return;
    state.status = state.track = state.rule = state.q = '';
    readUrl(); sync(); apply();
  });
  function sync() {
    if (q) q.value = state.q;
    if (status) status.value = state.status;
    if (track) track.value = state.track;
  }
  readUrl();
  sync();
  apply();
  document.documentElement.setAttribute('data-ready', 'true');
})();
