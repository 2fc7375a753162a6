// HTTP for the web studio's synthesis steps (wasm/http_client_web.cpp): fetch() with an
// AbortController per request for timeouts and cancel; the answer goes back into the wasm module
// through the exported winnow_http_done(). Keys travel only in request headers. The reply cache
// lives in IndexedDB (database "winnow-synth-cache"), read back into the module at start.
(function () {
  'use strict';
  const controllers = new Map();  // request id -> AbortController
  const DB_NAME = 'winnow-synth-cache', STORE = 'replies';
  let dbPromise = null;

  function db() {
    if (!('indexedDB' in self)) return Promise.reject(new Error('no IndexedDB'));
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbPromise;
  }

  function done(id, status, error, headers, bodyBytes) {
    const n = bodyBytes ? bodyBytes.length : 0;
    const ptr = n ? Module._malloc(n) : 0;
    if (n) window.winnowHeapU8().set(bodyBytes, ptr);
    Module.ccall('winnow_http_done', null, ['number', 'number', 'string', 'string', 'number', 'number'],
                 [id, status, error, JSON.stringify(headers), ptr, n]);
    if (ptr) Module._free(ptr);
  }

  window.winnowHttp = {
    start(id, method, url, headersJson, body, timeoutMs) {
      const ctl = new AbortController();
      controllers.set(id, ctl);
      let timedOut = false;
      const timer = timeoutMs > 0 ? setTimeout(() => { timedOut = true; ctl.abort(); }, timeoutMs) : 0;
      const headers = new Headers();
      for (const [k, v] of JSON.parse(headersJson)) headers.append(k, v);
      fetch(url, { method, headers, body: method === 'GET' ? undefined : body, signal: ctl.signal,
                   credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' })
        .then(async (resp) => {
          const bytes = new Uint8Array(await resp.arrayBuffer());
          const hs = [];
          resp.headers.forEach((v, k) => hs.push([k.toLowerCase(), v]));
          return { status: resp.status, hs, bytes };
        })
        .then((r) => {
          if (timer) clearTimeout(timer);
          if (!controllers.delete(id)) return;  // cancelled meanwhile
          done(id, r.status, '', r.hs, r.bytes);
        }, (err) => {
          if (timer) clearTimeout(timer);
          if (!controllers.delete(id)) return;
          done(id, 0, timedOut ? 'timeout' : (err && err.name === 'AbortError' ? 'cancelled' : 'network'), [], null);
        });
    },
    cancel(id) {
      const ctl = controllers.get(id);
      if (ctl) { controllers.delete(id); ctl.abort(); }
    },
    cachePut(key, value) {
      db().then((d) => { d.transaction(STORE, 'readwrite').objectStore(STORE).put(value, key); }).catch(() => {});
    },
    cacheClear() {
      db().then((d) => { d.transaction(STORE, 'readwrite').objectStore(STORE).clear(); }).catch(() => {});
    },
    // Reads every cached reply back into the module (once, when the runtime is up).
    loadCache() {
      return db().then((d) => new Promise((resolve) => {
        const store = d.transaction(STORE, 'readonly').objectStore(STORE);
        const req = store.openCursor();
        let count = 0;
        req.onsuccess = () => {
          const c = req.result;
          if (!c) return resolve(count);
          Module.ccall('winnow_cache_loaded', null, ['string', 'string'], [String(c.key), String(c.value)]);
          ++count;
          c.continue();
        };
        req.onerror = () => resolve(count);
      })).catch(() => 0);
    },
    inFlight() { return controllers.size; },
  };

  // studio.js defined the Module configuration; load the cache once the runtime has started.
  if (window.Module) {
    const prev = Module.onRuntimeInitialized;
    Module.onRuntimeInitialized = function () {
      if (prev) prev.apply(this, arguments);
      window.winnowHttp.cacheLoaded = window.winnowHttp.loadCache();
    };
  }
})();
