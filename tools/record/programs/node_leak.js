// Leak by construction: each request registers a listener closure in a module-level Map that
// nobody removes; the closure captures the request's parsed body (~1.5 KB of strings/objects).
'use strict';
const listeners = new Map();
const rate = Number(process.argv[2] || 30000);  // bytes per second, roughly
let id = 0;
function handle() {
  const body = [];
  for (let i = 0; i < 12; i++) body.push({k: 'field' + i, v: 'v'.repeat(80) + id});
  const onDone = () => body.length + id;
  listeners.set(id++, onDone);  // the leak: never deleted
}
setInterval(() => {
  const garbage = [];
  for (let i = 0; i < 300; i++) garbage.push(JSON.stringify({i, t: Date.now(), s: 'g'.repeat(64)}));
  const n = Math.max(1, Math.round(rate / 2 / 1500 * (0.5 + Math.random())));
  for (let i = 0; i < n; i++) handle();
}, 500);
