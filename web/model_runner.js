// Winnow's ONNX Runtime bridge in the page: onnxruntime-web (ort.wasm.min.js, served from this
// page's own origin, as are its .mjs/.wasm files: ort.env.wasm.wasmPaths) runs the models that
// score.model / dedup.semantic name. The wasm core (wasm/model_runner_web.cpp) starts each request
// through window.winnowModels and gets the answer through its exported winnow_model_* functions,
// called when the promise settles (no Asyncify). Inference runs in ORT's proxy worker, off the UI
// thread; with threads only when the page is cross-origin isolated. No request leaves the origin.
'use strict';

(function () {
  const sessions = new Map();
  let nextHandle = 0;
  let configured = false;
  let version = '';

  function configure() {
    if (configured) return;
    if (typeof ort === 'undefined') throw new Error('onnxruntime-web (ort.wasm.min.js) is not in this page');
    ort.env.wasm.wasmPaths = new URL('./', location.href).href;
    const isolated = self.crossOriginIsolated === true;
    ort.env.wasm.numThreads = isolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
    ort.env.wasm.proxy = true;  // inference in ORT's worker, off the UI thread (isolated or not)
    ort.env.logLevel = 'error';
    version = ort.env.versions && ort.env.versions.common ? ort.env.versions.common : '';
    configured = true;
  }

  function errorText(e) { return String(e && e.message ? e.message : e); }

  // Copies bytes into the wasm heap, calls fn(ptr, len) and frees them.
  function withHeapBytes(bytes, fn) {
    const ptr = bytes.length ? Module._malloc(bytes.length) : 0;
    if (bytes.length) window.winnowHeapU8().set(bytes, ptr);
    try { fn(ptr, bytes.length); } finally { if (ptr) Module._free(ptr); }
  }

  function typeName(t) {
    if (t === 'float32' || t === 'int64') return t;
    if (t === 'tensor(float)') return 'float32';
    if (t === 'tensor(int64)') return 'int64';
    return t ? String(t) : '';
  }

  function metadata(session, names, meta) {
    return names.map((name, i) => {
      const m = Array.isArray(meta) ? meta[i] : undefined;
      return { name, type: m && m.isTensor !== false ? typeName(m.type) : '' };
    });
  }

  window.winnowModels = {
    describe() {
      try { configure(); } catch (e) { return 'no ONNX Runtime: ' + errorText(e); }
      return 'onnxruntime-web ' + version + ' (' + (ort.env.wasm.numThreads > 1 ? ort.env.wasm.numThreads + ' threads' : 'single-threaded') +
             (ort.env.wasm.proxy ? ', worker' : '') + ')';
    },
    load(req, bytes) {
      (async () => {
        configure();
        const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
        const handle = ++nextHandle;
        sessions.set(handle, session);
        return { handle, info: { inputs: metadata(session, session.inputNames, session.inputMetadata),
                                 outputs: metadata(session, session.outputNames, session.outputMetadata) } };
      })().then(({ handle, info }) => {
        Module.ccall('winnow_model_loaded', null, ['number', 'number', 'string', 'string'], [req, handle, JSON.stringify(info), '']);
      }, (e) => {
        Module.ccall('winnow_model_loaded', null, ['number', 'number', 'string', 'string'], [req, 0, '', errorText(e)]);
      });
    },
    run(req, handle, descText, bytes) {
      (async () => {
        const session = sessions.get(handle);
        if (!session) throw new Error('unknown model handle ' + handle);
        const desc = JSON.parse(descText);
        const feeds = {};
        for (const t of desc.inputs) {
          // Each input in its own buffer: ORT's proxy worker transfers the tensors' buffers, and a
          // transfer list may not name one ArrayBuffer twice.
          const n = t.count * (t.type === 'int64' ? 8 : 4);
          const own = bytes.buffer.slice(bytes.byteOffset + t.offset, bytes.byteOffset + t.offset + n);
          const data = t.type === 'int64' ? new BigInt64Array(own) : new Float32Array(own);
          feeds[t.name] = new ort.Tensor(t.type, data, t.shape);
        }
        const names = desc.outputs.length ? desc.outputs : session.outputNames;
        const results = await session.run(feeds, names);
        // Outputs laid out back to back (8-byte aligned) with a JSON description.
        const parts = [];
        let size = 0;
        const outDesc = names.map((name) => {
          const t = results[name];
          let data = t.data, type = t.type;
          if (type !== 'float32' && type !== 'int64') {
            if (type === 'int32' || type === 'uint8' || type === 'bool') { data = BigInt64Array.from(Array.from(data, (x) => BigInt(Number(x)))); type = 'int64'; }
            else if (type === 'float64') { data = Float32Array.from(data); type = 'float32'; }
          }
          size = (size + 7) & ~7;
          const d = { name, type, shape: Array.from(t.dims), offset: size };
          const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          parts.push([size, view]);
          size += view.length;
          if (t.dispose) t.dispose();
          return d;
        });
        const all = new Uint8Array(size);
        for (const [off, view] of parts) all.set(view, off);
        return { desc: JSON.stringify(outDesc), all };
      })().then(({ desc, all }) => {
        withHeapBytes(all, (ptr, len) => Module.ccall('winnow_model_run_done', null, ['number', 'string', 'number', 'number', 'string'],
                                                       [req, desc, ptr, len, '']));
      }, (e) => {
        Module.ccall('winnow_model_run_done', null, ['number', 'string', 'number', 'number', 'string'], [req, '', 0, 0, errorText(e) || 'run failed']);
      });
    },
    release(handle) {
      const s = sessions.get(handle);
      sessions.delete(handle);
      if (s && s.release) s.release().catch(() => {});
    },
    // A file shipped under assets/models/, served by the page's origin as models/<name>.
    readAsset(req, name) {
      // Each path segment encoded on its own ("toxicity/model.onnx" -> models/toxicity/model.onnx).
      fetch(new URL('models/' + name.split('/').map(encodeURIComponent).join('/'), location.href)).then(async (r) => {
        if (!r.ok) throw new Error('models/' + name + ': HTTP ' + r.status);
        return new Uint8Array(await r.arrayBuffer());
      }).then((bytes) => {
        withHeapBytes(bytes, (ptr, len) => Module.ccall('winnow_model_bytes_done', null, ['number', 'number', 'number', 'string'], [req, ptr, len, '']));
      }, (e) => {
        Module.ccall('winnow_model_bytes_done', null, ['number', 'number', 'number', 'string'], [req, 0, 0, errorText(e)]);
      });
    },
    filesAdded: 0,
    // Model / tokenizer files the user chose: handed to the core by name.
    async addFiles(files) {
      const names = [];
      for (const f of files) {
        const bytes = new Uint8Array(await f.arrayBuffer());
        const nameLen = lengthBytesUTF8(f.name) + 1;
        const namePtr = Module._malloc(nameLen);
        stringToUTF8(f.name, namePtr, nameLen);
        withHeapBytes(bytes, (ptr, len) => Module._winnow_model_file(namePtr, ptr, len));
        Module._free(namePtr);
        names.push(f.name);
        this.filesAdded++;
      }
      return names;
    },
  };
})();
