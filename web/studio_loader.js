// Chooses which build of the studio the page runs. A cross-origin isolated page (served with
// COOP / COEP, e.g. by scripts/serve.py) can share memory with a worker: it loads the threaded
// build winnow_studio_mt.js, whose pipeline runs on a worker thread. Any other page, or a dist/
// without the threaded build (studio_builds.js says which it has), loads winnow_studio.js, which slices the work across frames.
// Both come from the page's own origin. Loaded after studio.js (which defines Module).
'use strict';

(function () {
  // studio_builds.js (written when dist/ is assembled) says whether the threaded build is here.
  const canThread = self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' &&
                    window.winnowThreadedBuild === true;
  function load(name, fallback) {
    window.winnowBuild = name === 'winnow_studio_mt.js' ? 'threaded' : 'single-threaded';
    const s = document.createElement('script');
    s.src = name;
    s.async = false;
    s.onerror = () => {
      s.remove();
      if (fallback) load(fallback, null);
      else document.getElementById('splash-text').textContent = 'The studio could not start: cannot load ' + name + '.';
    };
    document.body.appendChild(s);
  }
  if (canThread) load('winnow_studio_mt.js', 'winnow_studio.js');
  else load('winnow_studio.js', null);
})();

// The wasm heap as a Uint8Array that is current: in the threaded build a worker may have grown the
// memory, which leaves this thread's HEAPU8 view over the old, shorter buffer until refreshed.
window.winnowHeapU8 = function () {
  return typeof GROWABLE_HEAP_U8 === 'function' ? GROWABLE_HEAP_U8() : HEAPU8;
};
