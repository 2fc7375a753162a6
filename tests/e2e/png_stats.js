// Decodes an 8-bit RGB / RGBA, non-interlaced PNG (what Chromium's screenshots are) with Node's
// zlib and reports how varied its pixels are, so a test can tell a drawn UI from a blank canvas.
'use strict';
const zlib = require('zlib');

function decode(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8, width = 0, height = 0, colorType = 0, depth = 0, interlace = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      depth = data[8]; colorType = data[9]; interlace = data[12];
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    off += 12 + len;
  }
  if (depth !== 8 || (colorType !== 2 && colorType !== 6) || interlace) throw new Error('unsupported PNG layout');
  const bpp = colorType === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[y * stride + x - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 255;
    }
  }
  return { width, height, bpp, pixels: out };
}

// { width, height, colors: distinct RGB values (capped), dominant: share of the most common color }
function stats(buf) {
  const img = decode(buf);
  const counts = new Map();
  for (let i = 0; i < img.pixels.length; i += img.bpp) {
    const key = (img.pixels[i] << 16) | (img.pixels[i + 1] << 8) | img.pixels[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  let max = 0;
  for (const v of counts.values()) max = Math.max(max, v);
  return { width: img.width, height: img.height, colors: counts.size, dominant: max / (img.width * img.height) };
}

// The same for a rectangle [x, y, w, h] of the image (clipped to it), plus `marked`: pixels that
// differ from the rectangle's most common colour by more than 40 in some channel, and `hues`: how
// many coarse colours (each channel in 8 levels) the marked pixels have. Used to check that the
// embedding map drew coloured points, not just its background.
function regionStats(buf, rect) {
  const img = decode(buf);
  const x0 = Math.max(0, Math.floor(rect[0])), y0 = Math.max(0, Math.floor(rect[1]));
  const x1 = Math.min(img.width, Math.floor(rect[0] + rect[2])), y1 = Math.min(img.height, Math.floor(rect[1] + rect[3]));
  const counts = new Map();
  const px = (x, y) => { const i = (y * img.width + x) * img.bpp; return [img.pixels[i], img.pixels[i + 1], img.pixels[i + 2]]; };
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const [r, g, b] = px(x, y);
      const key = (r << 16) | (g << 8) | b;
      counts.set(key, (counts.get(key) || 0) + 1);
    }
  }
  let bg = 0, max = 0;
  for (const [k, v] of counts) if (v > max) { max = v; bg = k; }
  const br = bg >> 16, bgG = (bg >> 8) & 255, bb = bg & 255;
  let marked = 0;
  const hues = new Set();
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const [r, g, b] = px(x, y);
      if (Math.max(Math.abs(r - br), Math.abs(g - bgG), Math.abs(b - bb)) <= 40) continue;
      marked++;
      hues.add(((r >> 5) << 6) | ((g >> 5) << 3) | (b >> 5));
    }
  }
  const area = Math.max(1, (x1 - x0) * (y1 - y0));
  return { width: x1 - x0, height: y1 - y0, colors: counts.size, dominant: max / area, marked, hues: hues.size };
}

module.exports = { decode, stats, regionStats };
