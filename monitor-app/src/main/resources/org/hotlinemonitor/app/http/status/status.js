// The status page: polls /api/v1/status (docs/api.md) and draws it. Reads only; talks to this server alone.
(function () {
  'use strict';

  var POLL_MS = 3000;
  var TOKEN_KEY = 'hotline-monitor.token';
  var STATES = { 'up': 'up', 'down': 'down', 'our-side-silent': 'our side silent', 'unknown': 'unknown (no data)' };
  var WINDOWS = ['1d', '7d', '30d', '90d'];
  var formats = {};
  var timer = null;
  var progress = { updates: 0, firstRenderMs: null };
  window.hotlineStatus = progress; // for tests and the curious: how many times the page drew the status

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  // "2023-04-07 09:00" in the zone (24 h clock).
  function local(iso, zone) {
    if (!formats[zone]) {
      formats[zone] = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit',
        day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    }
    var p = {};
    formats[zone].formatToParts(new Date(iso)).forEach(function (x) { p[x.type] = x.value; });
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute;
  }

  // The instant in the channel's zone and in UTC: "2023-04-07 09:00 Asia/Seoul (00:00 UTC, 2023-04-07)".
  function when(iso, zone) {
    if (!iso) {
      return '\u2013';
    }
    var utc = local(iso, 'UTC');
    return local(iso, zone) + ' ' + zone + ' (' + utc.slice(11) + ' UTC, ' + utc.slice(0, 10) + ')';
  }

  function duration(seconds) {
    var d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
    return (d ? d + ' d ' : '') + (d || h ? h + ' h ' : '') + m + ' min';
  }

  function percent(ratio) {
    return ratio === null || ratio === undefined ? '\u2013' : (Math.floor(ratio * 10000) / 100).toFixed(2) + ' %';
  }

  function channelCard(c) {
    var card = el('article', { 'class': 'card', 'id': 'channel-' + c.id, 'data-channel': c.id });
    var head = el('div', { 'class': 'head' });
    var title = el('div');
    title.appendChild(el('h3', null, c.name));
    title.appendChild(el('span', { 'class': 'id' }, c.id + ' \u00b7 ' + c.zone));
    head.appendChild(title);
    head.appendChild(el('span', { 'class': 'state state-' + c.state, 'data-state': c.state }, STATES[c.state] || c.state));
    card.appendChild(head);

    var facts = el('dl', { 'class': 'facts' });
    facts.appendChild(el('dt', null, 'Down since'));
    facts.appendChild(el('dd', { 'class': 'since', 'data-instant': c.downSince || '' }, c.downSince ? when(c.downSince, c.zone) : '\u2013'));
    facts.appendChild(el('dt', null, 'Last answered slot'));
    facts.appendChild(el('dd', { 'class': 'last-answered', 'data-instant': c.lastAnswered || '' }, when(c.lastAnswered, c.zone)));
    card.appendChild(facts);

    var strips = el('div', { 'class': 'strips' });
    c.days.forEach(function (d) {
      strips.appendChild(el('span', { 'class': 'day kind-' + d.kind, 'data-date': d.date, 'data-kind': d.kind, 'title': d.text }));
    });
    card.appendChild(strips);
    var span = el('div', { 'class': 'span' });
    span.appendChild(el('span', null, c.days.length ? c.days[0].date : ''));
    span.appendChild(el('span', null, c.days.length ? c.days[c.days.length - 1].date + ' (' + c.zone + ')' : ''));
    card.appendChild(span);

    var availability = el('div', { 'class': 'availability' });
    WINDOWS.forEach(function (w) {
      var item = el('span', { 'data-window': w }, w + ' ');
      item.appendChild(el('b', null, percent(c.availability[w])));
      availability.appendChild(item);
    });
    card.appendChild(availability);
    return card;
  }

  function fillTable(id, rows, columns, empty) {
    var body = $(id).tBodies[0];
    var fresh = el('tbody');
    if (!rows.length) {
      var tr = el('tr');
      tr.appendChild(el('td', { 'class': 'empty', 'colspan': String(columns) }, empty));
      fresh.appendChild(tr);
    }
    rows.forEach(function (cells) {
      var tr = el('tr');
      cells.forEach(function (c) { tr.appendChild(el('td', null, c)); });
      fresh.appendChild(tr);
    });
    body.parentNode.replaceChild(fresh, body);
  }

  function render(s) {
    var zones = {}, names = {};
    s.channels.forEach(function (c) { zones[c.id] = c.zone; names[c.id] = c.name; });
    var grid = el('div', { 'id': 'channels', 'class': 'grid' });
    s.channels.forEach(function (c) { grid.appendChild(channelCard(c)); });
    $('channels').parentNode.replaceChild(grid, $('channels'));

    fillTable('incidents', s.incidents.map(function (i) {
      var zone = zones[i.channel] || 'UTC';
      return [names[i.channel] || i.channel, local(i.start, zone) + ' ' + zone,
        i.end ? local(i.end, zone) + ' ' + zone : 'ongoing',
        local(i.start, 'UTC') + ' \u2013 ' + (i.end ? local(i.end, 'UTC') : 'now'),
        duration(i.durationSeconds) + (i.end ? '' : ' so far'), String(i.missedSlots)];
    }), 6, 'No incident in the last 90 days.');

    fillTable('alerts', s.alerts.map(function (a) {
      var zone = zones[a.channel] || 'UTC';
      return [local(a.at, zone) + ' ' + zone, local(a.at, 'UTC'), a.type, a.channel ? (names[a.channel] || a.channel) : 'our side',
        a.since ? local(a.since, zone) + ' ' + zone : ''];
    }), 5, 'No alert since the monitor started.');

    fillTable('silences', s.silences.map(function (x) {
      var hours = x.zone ? (x.days ? x.days.join(',') + ' ' : 'daily ') + x.from + '\u2013' + x.to + ' ' + x.zone : '';
      if (x.start || x.end) {
        hours += (hours ? ', ' : '') + (x.start ? local(x.start, 'UTC') : '\u2026') + ' \u2013 '
          + (x.end ? local(x.end, 'UTC') : '\u2026') + ' UTC';
      }
      return [x.id, x.channels.length ? x.channels.join(', ') : 'all', hours, x.activeNow ? 'yes' : 'no', x.comment || ''];
    }), 5, 'No current or coming silence.');

    var ours = $('our-side');
    ours.hidden = !s.ourSideSilentSince;
    ours.textContent = s.ourSideSilentSince ? 'Our own side is silent since ' + local(s.ourSideSilentSince, 'UTC')
      + ' UTC: nothing can be said of the far side until it resumes.' : '';
    $('updated').textContent = 'As of ' + local(s.now, 'UTC') + ' UTC'
      + (s.dataSince ? ' \u00b7 data since ' + local(s.dataSince, 'UTC') + ' UTC' : ' \u00b7 no slot decided yet');
    progress.updates++;
    if (progress.firstRenderMs === null) {
      progress.firstRenderMs = performance.now();
    }
  }

  function showAuth(message) {
    $('auth').hidden = false;
    $('content').hidden = true;
    $('auth-message').textContent = message;
  }

  function poll() {
    var headers = { 'Accept': 'application/json' };
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    fetch('/api/v1/status', { headers: headers, cache: 'no-store', credentials: 'omit' })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) {
          return r.json().then(function (p) { showAuth(p.message || ('HTTP ' + r.status)); });
        }
        if (!r.ok) {
          throw new Error('the monitor answered HTTP ' + r.status);
        }
        return r.json().then(function (s) {
          $('auth').hidden = true;
          $('content').hidden = false;
          $('problem').hidden = true;
          render(s);
        });
      })
      .catch(function (e) {
        $('problem').hidden = false;
        $('problem').textContent = 'Cannot reach the monitor (' + e.message + '); retrying. What is shown may be stale.';
      })
      .then(function () {
        clearTimeout(timer);
        timer = setTimeout(poll, POLL_MS);
      });
  }

  $('auth-form').addEventListener('submit', function (e) {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    clearTimeout(timer);
    poll();
  });

  poll();
}());
