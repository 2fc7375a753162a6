// Winnow web studio glue: file picker and drag-and-drop, chunked File reading (gzip through the
// browser's DecompressionStream), Blob downloads, clipboard and the share link in the URL fragment.
// The wasm side (wasm/studio/main.cpp) calls window.winnow.*; this file calls its exported C
// functions. Everything stays in the tab: no request leaves the page's own origin.
'use strict';

(function () {
  const canvas = document.getElementById('canvas');
  const splash = document.getElementById('splash');
  const CHUNK = 8 << 20;         // bytes read from the File per slice
  const HIGH_WATER = 64 << 20;   // pause reading while this much is waiting to be parsed
  const READS_AHEAD = 6;         // File slices being read while the studio parses
  const PUMP_MS = 12;            // loading / searching per page task between frames
  // wasm32 gives a tab at most 4 GB; the loaded data plus a run's outputs must fit beside it.
  const MAX_DATASET_BYTES = 2000 * 1000 * 1000;
  const MAX_FILE_BYTES = 2400 * 1000 * 1000;

  function showError(text) {
    splash.style.display = 'flex';
    splash.classList.add('error');
    document.getElementById('splash-text').textContent = text;
  }

  function human(n) {
    const u = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (n >= 1000 && i < 4) { n /= 1000; i++; }
    return n.toFixed(i ? 1 : 0) + ' ' + u[i];
  }

  let ready = false;
  let loading = null;  // the File being streamed

  function message(text) {
    if (ready) Module.ccall('winnow_message', null, ['string'], [text]);
  }

  // Hands a chunk to the studio: the bytes are written once, straight into the buffer the
  // studio queues (its heap view is replaced when memory grows: look it up after allocating).
  function push(bytes, consumed) {
    for (let off = 0; off < bytes.length; off += CHUNK) {
      const part = bytes.subarray(off, Math.min(bytes.length, off + CHUNK));
      const ptr = Module._winnow_open_chunk(part.length);
      if (!ptr) return;  // the load ended (cancelled, failed, replaced)
      window.winnowHeapU8().set(part, ptr);
      Module._winnow_open_commit(part.length, consumed);
    }
    schedulePump();
  }

  // Loading and searching also run in page tasks between frames: on a slow GPU (SwiftShader draws a
  // few frames a second) a budget per frame alone leaves the main thread idle most of the time.
  // Each task does PUMP_MS of work and yields, so input, drawing and the File reads still come in.
  // MessageChannel tasks are not clamped like nested setTimeout. The studio asks for this after a
  // frame that left work (wasm/studio/main.cpp) and after each chunk arrives.
  const pumpChannel = new MessageChannel();
  let pumpQueued = false;
  pumpChannel.port1.onmessage = () => {
    pumpQueued = false;
    if (!ready) return;
    const t0 = performance.now();
    const more = Module._winnow_pump(PUMP_MS);
    if (window.winnow.pumpTimes) window.winnow.pumpTimes.push(performance.now() - t0);
    if (more) schedulePump();
  };
  function schedulePump() {
    if (pumpQueued) return;
    pumpQueued = true;
    pumpChannel.port2.postMessage(0);
  }

  // Waits while the parser is behind; returns false when the App no longer wants data. Polls every
  // few ms, not every frame: at a few frames a second the parser would drain the queue and idle.
  async function waitForRoom() {
    for (;;) {
      const b = Module._winnow_open_buffered();
      if (b < 0) return false;
      if (b < HIGH_WATER) return true;
      await new Promise((r) => setTimeout(r, 4));
    }
  }

  // Reads a File slice into buf (an ArrayBuffer of at least blob.size bytes); returns the bytes as
  // a view of the buffer to reuse (each BYOB read hands its buffer back as a new object). Reading
  // with Blob.arrayBuffer() instead made a new 8 MB buffer per slice, dead once copied into the
  // heap but kept until V8 next collected garbage: the page held 200-400 MB of them while opening
  // a 1 GB file (counted in performance.memory.usedJSHeapSize, which includes ArrayBuffer memory).
  // Browsers whose Blob streams are not byte streams get the arrayBuffer() read. sliceReaders holds
  // the readers while they read: a pending BYOB read of a stream nothing references can be collected
  // with its stream and never resolve (in Chromium 156 the load then stalled in about 1 run of 3).
  const byobBlobs = (() => {
    try { new Blob([]).stream().getReader({ mode: 'byob' }).releaseLock(); return true; } catch (e) { return false; }
  })();
  const sliceReaders = new Set();
  async function readSlice(blob, buf) {
    if (!byobBlobs) return new Uint8Array(await blob.arrayBuffer());
    const reader = blob.stream().getReader({ mode: 'byob' });
    sliceReaders.add(reader);
    let filled = 0;
    try {
      while (filled < blob.size) {
        const want = blob.size - filled;
        const { done, value } = await reader.read(new Uint8Array(buf, filled, want), { min: want });
        if (value) { buf = value.buffer; filled += value.length; }
        if (done) break;
      }
    } finally {
      sliceReaders.delete(reader);
      reader.cancel().catch(() => {});
    }
    return new Uint8Array(buf, 0, filled);
  }

  async function openDataset(file) {
    if (!ready) return;
    const gz = /\.gz$/i.test(file.name);
    if (!gz && file.size > MAX_FILE_BYTES) {
      message(file.name + ' is ' + human(file.size) + ': too large for a browser tab (about ' + human(MAX_FILE_BYTES) +
              ' at most). Use the desktop studio or the winnow CLI, which stream files of any size.');
      return;
    }
    if (gz && typeof DecompressionStream === 'undefined') {
      message('This browser cannot decompress gzip (no DecompressionStream). Decompress the file first.');
      return;
    }
    if (loading) Module.ccall('winnow_open_end', null, ['string'], ['replaced by another file']);
    loading = file;
    Module.ccall('winnow_open_begin', 'number', ['string', 'number', 'number'], [file.name, file.size, MAX_DATASET_BYTES]);
    let error = '';
    try {
      if (gz) {
        let raw = 0;
        const counter = new TransformStream({ transform(chunk, ctl) { raw += chunk.byteLength; ctl.enqueue(chunk); } });
        const reader = file.stream().pipeThrough(counter).pipeThrough(new DecompressionStream('gzip')).getReader();
        for (;;) {
          if (loading !== file || !(await waitForRoom())) { reader.cancel(); return; }
          const { done, value } = await reader.read();
          if (done) break;
          push(value, raw);
        }
      } else {
        // Several slices are read ahead while the studio parses: one read in flight left the parser
        // waiting for data most of the time (a read resolves only when the busy main thread gets to it).
        // Each read fills one of READS_AHEAD buffers that the whole load reuses (readSlice).
        const pool = [];
        const slice = (off) => {
          const end = Math.min(file.size, off + CHUNK);
          const p = readSlice(file.slice(off, end), pool.pop() || new ArrayBuffer(CHUNK));
          p.catch(() => {});  // an abandoned read-ahead must not be an unhandled rejection
          return { end, p };
        };
        const reads = [];
        let nextOff = 0;
        const readAhead = () => {
          for (; reads.length < READS_AHEAD && nextOff < file.size; nextOff += CHUNK) reads.push(slice(nextOff));
        };
        readAhead();
        while (reads.length) {
          const r = reads.shift();
          const bytes = await r.p;
          if (loading !== file || !(await waitForRoom())) return;
          push(bytes, r.end);
          if (byobBlobs && bytes.buffer.byteLength === CHUNK) pool.push(bytes.buffer);
          readAhead();
        }
      }
    } catch (e) {
      error = (gz ? 'cannot decompress: ' : 'cannot read the file: ') + (e && e.message ? e.message : e);
    }
    if (loading === file) {
      Module.ccall('winnow_open_end', null, ['string'], [error]);
      loading = null;
      schedulePump();
    }
  }

  async function openPipeline(file) {
    if (file.size > (4 << 20)) { message(file.name + ' is too large to be a pipeline file.'); return; }
    const text = await file.text();
    Module.ccall('winnow_load_pipeline', 'number', ['string', 'string'], [text, file.name]);
  }

  const inputs = [document.getElementById('file-dataset'), document.getElementById('file-pipeline')];
  inputs[0].addEventListener('change', () => { if (inputs[0].files.length) openDataset(inputs[0].files[0]); inputs[0].value = ''; });
  // Model and tokenizer files for score.model / dedup.semantic (web/model_runner.js keeps them).
  const modelInput = document.getElementById('file-model');
  if (modelInput) {
    modelInput.addEventListener('change', async () => {
      const files = Array.from(modelInput.files);
      modelInput.value = '';
      if (!files.length || !window.winnowModels) return;
      const names = await window.winnowModels.addFiles(files);
      message('Added ' + names.join(', ') + ': name them in the step\'s "model" / "tokenizer" params.');
    });
  }
  inputs[1].addEventListener('change', () => { if (inputs[1].files.length) openPipeline(inputs[1].files[0]); inputs[1].value = ''; });

  // Chat template (.jinja, tokenizer_config.json) and tokenizer files (.tiktoken, tokenizer.json)
  // for the data view's template preview and token counts: the bytes go to the App (kind 3 / 4).
  const MAX_AUX_BYTES = 64 << 20;
  async function openTemplateFile(kind, file) {
    if (file.size > MAX_AUX_BYTES) { message(file.name + ' is too large for a template or tokenizer file.'); return; }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const nameLen = lengthBytesUTF8(file.name) + 1;
    const namePtr = Module._malloc(nameLen);
    const ptr = Module._malloc(Math.max(1, bytes.length));
    if (!namePtr || !ptr) { message('out of memory reading ' + file.name); return; }
    stringToUTF8(file.name, namePtr, nameLen);
    window.winnowHeapU8().set(bytes, ptr);
    Module._winnow_template_file(kind, namePtr, ptr, bytes.length);
    Module._free(ptr);
    Module._free(namePtr);
  }
  // decontaminate's reference files: kept by name in the page, like model files (read by the step).
  const referenceInput = document.getElementById('file-reference');
  if (referenceInput) {
    referenceInput.addEventListener('change', async () => {
      const files = Array.from(referenceInput.files);
      referenceInput.value = '';
      if (!files.length || !window.winnowModels) return;
      const names = await window.winnowModels.addFiles(files);
      message('Added ' + names.join(', ') + ': name them in decontaminate\'s "references" param.');
    });
  }

  // Paste: Emscripten's GLFW cannot read the clipboard, so the paste event's text is handed to the
  // studio before ImGui handles Ctrl+V on the next frame.
  window.addEventListener('paste', (e) => {
    if (!ready || !e.clipboardData) return;
    Module.ccall('winnow_paste', null, ['string'], [e.clipboardData.getData('text/plain')]);
    e.preventDefault();
  });

  const auxInputs = { 3: document.getElementById('file-template'), 4: document.getElementById('file-tokenizer') };
  for (const [kind, el] of Object.entries(auxInputs)) {
    el.addEventListener('change', () => { if (el.files.length) openTemplateFile(Number(kind), el.files[0]); el.value = ''; });
  }

  // Drag and drop anywhere on the page.
  let depth = 0;
  window.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; document.body.classList.add('dragging'); });
  window.addEventListener('dragleave', (e) => { e.preventDefault(); if (--depth <= 0) { depth = 0; document.body.classList.remove('dragging'); } });
  window.addEventListener('dragover', (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    document.body.classList.remove('dragging');
    if (e.dataTransfer.files.length) openDataset(e.dataTransfer.files[0]);
  });

  // Mouse wheel: Emscripten's GLFW hands ImGui the event's raw deltaX / deltaY (pixels, lines or
  // pages, down positive; 'mousewheel' gives 120 per notch, up positive), where ImGui wants notches,
  // up positive: a wheel turn scrolled the wrong way by a hundred rows. This listener (capture on
  // the window: it runs before GLFW's on the canvas) notes the factor that turns this event's raw
  // values into notches; the studio's scroll callback (wasm/studio/main.cpp) reads it.
  const wheelFactor = (e) => e.type === 'mousewheel' ? 1 / 120 : e.deltaMode === 1 ? -1 / 3 : e.deltaMode === 2 ? -1 : -1 / 100;
  window.winnowWheelFactor = -1 / 100;
  for (const type of ['wheel', 'mousewheel']) {
    window.addEventListener(type, (e) => { window.winnowWheelFactor = wheelFactor(e); }, { capture: true, passive: true });
  }

  // Keep the browser's own shortcuts (open, save, find, tabs) from stealing the studio's.
  window.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && /^(o|s|f|e|l|Enter|[1-6])$/.test(e.key)) e.preventDefault();
  }, true);

  window.winnow = {
    ready() {
      ready = true;
      splash.style.display = 'none';
      canvas.focus();
      if (location.hash.length > 1) Module.ccall('winnow_apply_fragment', 'number', ['string'], [location.hash]);
    },
    pickFile(kind) {
      const byKind = { 2: 'file-model', 5: 'file-reference' };
      (byKind[kind] ? document.getElementById(byKind[kind]) : auxInputs[kind] || inputs[kind === 0 ? 0 : 1]).click();
    },
    // parts: the file's bytes in order (Blobs or typed arrays), joined by the Blob, not copied here.
    download(name, parts) {
      const url = URL.createObjectURL(new Blob(parts, { type: /\.json$/.test(name) ? 'application/json' : 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    },
    copyText(text) {
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(() => {});
    },
    setFragment(fragment) { history.replaceState(null, '', fragment); },
    canvasPixels() {
      const r = canvas.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      return [Math.max(1, Math.round(r.width * dpr)), Math.max(1, Math.round(r.height * dpr))];
    },
    // For tests and benchmarks: the App's state as an object.
    status() { return ready ? JSON.parse(UTF8ToString(Module._winnow_status())) : { load: 'starting' }; },
    // For tests: select a row (0-based) and show it rendered with the chat template (or not).
    inspect(row, withTemplate) { Module._winnow_inspect(row, withTemplate ? 1 : 0); },
    // The synthesis panel's buttons as commands (tests): {cmd: 'configure' | 'dry_run' | 'run' | ...}.
    synth(command) { return JSON.parse(Module.ccall('winnow_synth', 'string', ['string'], [JSON.stringify(command)])); },
    openDataset,
    schedulePump,
  };

  window.addEventListener('error', (e) => { if (!ready) showError('The studio could not start: ' + e.message); });
  if (typeof WebAssembly !== 'object') showError('This browser has no WebAssembly: the studio cannot run here.');

  // Emscripten reads its configuration from the global Module before winnow_studio.js runs.
  window.Module = {
    canvas,
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
    onAbort: (what) => showError('The studio stopped: ' + what),
  };
})();
