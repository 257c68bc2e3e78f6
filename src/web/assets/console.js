// credline console: live updates of the line view. The server renders every piece of markup (escaped there); this
// script only swaps the line section for the latest version the server sent over server-sent events.
'use strict';

function startLive() {
  const section = document.querySelector('[data-live]');
  if (!section) return;
  const events = new EventSource(section.getAttribute('data-live'));
  events.addEventListener('line', (event) => {
    section.innerHTML = event.data;
    section.setAttribute('data-seq', event.lastEventId);
    document.body.classList.remove('offline');
  });
  events.addEventListener('error', () => document.body.classList.add('offline'));
}

document.addEventListener('DOMContentLoaded', startLive);
