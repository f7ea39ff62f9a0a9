// Shared DOM and HTTP helpers of the reportqa page. Text is set with textContent or
// createElement, never innerHTML, so text from a document can never run as markup.
const DOWN = 'Cannot reach the reportqa server. Check that it is running, then try again.';

export const $ = (id) => document.getElementById(id);

// el('p', {class: 'x', text: 'y', onclick: f, 'aria-label': 'z'}, child, 'text child')
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// A thumb (Feather icons, MIT) drawn with createElementNS, so no emoji font is needed.
const THUMB = 'M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3';
export function thumb(down) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const attrs = { viewBox: '0 0 24 24', width: 16, height: 16, fill: 'none', stroke: 'currentColor', 'stroke-width': 2,
    'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', class: down ? 'flip' : 'thumb' };
  for (const [k, v] of Object.entries(attrs)) svg.setAttribute(k, String(v));
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', THUMB);
  svg.append(path);
  return svg;
}

export class ServerDown extends Error {}
export { DOWN };

export async function api(path, options = {}) {
  let resp;
  try { resp = await fetch(path, options); } catch (e) { throw new ServerDown(DOWN); }
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    const err = new Error(typeof data.detail === 'string' ? data.detail : `The server answered ${resp.status}.`);
    err.status = resp.status;
    throw err;
  }
  return data;
}

