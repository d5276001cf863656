// Live CONTROL/MONITORING: the server re-renders the status panels and streams them as
// server-sent events, and announces each update ('status-updated') for the live charts (charts.js);
// nothing else on any page needs script.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var live = document.getElementById('live');
  if (!live) {
    return;
  }
  // The event timeline's filter lives outside the panels, so it survives their updates.
  var filter = document.getElementById('timeline-filter');
  function applyFilter() {
    var kind = filter ? filter.value : '';
    live.querySelectorAll('#timeline li').forEach(function (li) {
      li.hidden = kind !== '' && li.getAttribute('data-kind') !== kind;
    });
  }
  if (filter) {
    filter.addEventListener('change', applyFilter);
  }
  var period = parseInt(live.getAttribute('data-period'), 10);
  if (!(period > 0)) {
    return;
  }
  var updated = document.getElementById('updated');
  var source = new EventSource('/events?period=' + period);
  source.addEventListener('status', function (ev) {
    // Keep the operator's choice of real server across updates.
    var chosen = live.querySelector('input[name="target"]:checked');
    var value = chosen ? chosen.value : null;
    live.innerHTML = ev.data;
    if (value !== null) {
      live.querySelectorAll('input[name="target"]').forEach(function (r) {
        if (r.value === value) {
          r.checked = true;
        }
      });
    }
    applyFilter();
    document.dispatchEvent(new Event('status-updated'));
    if (updated) {
      updated.textContent = 'updated ' + new Date().toLocaleTimeString();
    }
  });
  source.addEventListener('expired', function () {
    source.close();
    window.location.href = '/login';
  });
});
