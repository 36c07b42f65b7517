// Zooms every channel's timeline to one month: the month's days of the year row, drawn wide, with their hover
// text and the outages in them. No request, no library.
(function () {
  'use strict';
  var SVG = 'http' + '://www.w3.org/2000/svg'; // the SVG namespace: a name, never fetched
  var WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var DAY = 3, CELL = 36, TOP = 4, HEIGHT = 30, BAR = 6;
  var select = document.getElementById('zoom');
  if (!select) { return; }

  function el(name, attrs) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    return e;
  }

  function zoom(value) {
    var sections = document.querySelectorAll('section.channel');
    for (var i = 0; i < sections.length; i++) {
      var box = sections[i].querySelector('.zoomed');
      box.textContent = '';
      box.hidden = !value;
      if (value) { draw(sections[i], box, value); }
    }
  }

  function draw(section, box, value) {
    var year = +value.slice(0, 4), month = +value.slice(5, 7);
    var first = (Date.UTC(year, month - 1, 1) - Date.UTC(year, 0, 1)) / 864e5;
    var count = new Date(Date.UTC(year, month, 0)).getUTCDate();
    var title = document.createElement('h3');
    title.textContent = select.options[select.selectedIndex].text + ', ' + section.getAttribute('data-channel')
        + ' (local days)';
    box.appendChild(title);
    var svg = el('svg', {'class': 'month', 'data-month': value, viewBox: '0 0 ' + (count * CELL) + ' 64',
                         width: count * CELL, height: 64});
    var row = section.querySelector('g.year[data-year="' + year + '"]');
    var days = row ? row.querySelectorAll('rect.day') : [];
    for (var i = 0; i < days.length; i++) {
      var start = Math.round(+days[i].getAttribute('x') / DAY) - first;
      var run = +(days[i].getAttribute('data-days') || 1);
      for (var k = 0; k < run; k++) {
        var d = start + k;
        if (d < 0 || d >= count) { continue; }
        var cell;
        if (run === 1) {
          cell = days[i].cloneNode(true);
        } else { // a run of alike days: a cell per day, each with the day's own title
          cell = el('rect', {'class': days[i].getAttribute('class').replace(' run', '')});
          var when = new Date(Date.UTC(year, month - 1, d + 1));
          var own = el('title', {});
          own.textContent = WEEKDAYS[when.getUTCDay()] + ' ' + when.toISOString().slice(0, 10) + ': '
              + days[i].getAttribute('data-what');
          cell.appendChild(own);
        }
        cell.setAttribute('x', d * CELL + 1);
        cell.setAttribute('y', TOP);
        cell.setAttribute('width', CELL - 2);
        cell.setAttribute('height', HEIGHT);
        svg.appendChild(cell);
      }
    }
    for (var n = 0; n < count; n++) {
      var date = new Date(Date.UTC(year, month - 1, n + 1));
      var label = el('text', {x: n * CELL + CELL / 2, y: TOP + HEIGHT + 11, 'text-anchor': 'middle'});
      label.textContent = (n + 1) + ' ' + 'SMTWTFS'.charAt(date.getUTCDay());
      svg.appendChild(label);
    }
    var outages = row ? row.querySelectorAll('rect.outage') : [];
    for (var j = 0; j < outages.length; j++) {
      var a = +outages[j].getAttribute('data-from') - first, b = +outages[j].getAttribute('data-to') - first;
      if (b < 0 || a >= count) { continue; }
      a = Math.max(a, 0);
      b = Math.min(b, count);
      var bar = outages[j].cloneNode(true);
      bar.setAttribute('x', a * CELL);
      bar.setAttribute('y', TOP + HEIGHT + 14);
      bar.setAttribute('width', Math.max(2, (b - a) * CELL));
      bar.setAttribute('height', BAR);
      svg.appendChild(bar);
      var text = el('text', {'class': 'duration', x: a * CELL + 2, y: TOP + HEIGHT + 14 + BAR + 9});
      text.textContent = outages[j].getAttribute('data-duration');
      svg.appendChild(text);
    }
    box.appendChild(svg);
  }

  select.addEventListener('change', function () { zoom(select.value); });
  document.addEventListener('click', function (event) {
    var day = event.target.closest && event.target.closest('g.year rect.day');
    if (!day) { return; }
    var year = +day.parentNode.getAttribute('data-year');
    var index = Math.round(+day.getAttribute('x') / DAY);
    var run = +(day.getAttribute('data-days') || 1);
    if (run > 1 && event.clientX) { // the day of the run under the pointer
      var p = day.ownerSVGElement.createSVGPoint();
      p.x = event.clientX;
      p.y = event.clientY;
      var at = Math.floor(p.matrixTransform(day.parentNode.getScreenCTM().inverse()).x / DAY);
      index = Math.min(Math.max(at, index), index + run - 1);
    }
    var date = new Date(Date.UTC(year, 0, 1) + index * 864e5);
    var value = date.toISOString().slice(0, 7);
    if (select.querySelector('option[value="' + value + '"]')) {
      select.value = value;
      zoom(value);
      day.closest('section').scrollIntoView();
    }
  });
  if (select.value) { zoom(select.value); }
})();
