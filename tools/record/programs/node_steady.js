// Not a leak: a request loop that builds, serialises and drops objects, with a bounded cache
// of 2 000 entries filled in the first minute.
'use strict';
const cache = new Map();
setInterval(() => {
  for (let r = 0; r < 60; r++) {
    const key = Math.floor(Math.random() * 2000);
    if (!cache.has(key)) cache.set(key, 'c'.repeat(2000) + key);
    const reply = JSON.stringify({key, items: Array.from({length: 20}, (_, i) => ({i, s: 's' + i}))});
    if (reply.length < 0) console.log(reply);
  }
}, 500);
