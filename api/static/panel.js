// The citation panel: a cited page with the passage and the quote highlighted.
import { $, api, el } from './dom.js';
import { state } from './state.js';

async function getPage(docId, n) {
  const key = `${docId}:${n}`;
  if (!state.pages.has(key)) state.pages.set(key, api(`/api/documents/${encodeURIComponent(docId)}/pages/${n}`));
  try { return await state.pages.get(key); } catch (e) { state.pages.delete(key); throw e; }
}

// The page's text cut at the passage and quote bounds: quote -> <mark>, passage -> span.passage.

function pageNodes(page, c) {
  const cuts = new Set([page.char_start, page.char_end]);
  for (const x of [c.char_start, c.char_end, c.quote_start, c.quote_end]) if (x > page.char_start && x < page.char_end) cuts.add(x);
  const pts = [...cuts].sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i + 1 < pts.length; i += 1) {
    const [a, b] = [pts[i], pts[i + 1]];
    const text = page.text.slice(a - page.char_start, b - page.char_start);
    if (a >= c.quote_start && b <= c.quote_end) nodes.push(el('mark', { text }));
    else if (a >= c.char_start && b <= c.char_end) nodes.push(el('span', { class: 'passage', text }));
    else nodes.push(document.createTextNode(text));
  }
  return nodes;
}

export async function openCitation(c, trigger) {
  state.lastRef = trigger || null;
  document.querySelectorAll('.cite-ref.active, .source-btn.active').forEach((b) => b.classList.remove('active'));
  if (trigger) trigger.classList.add('active');
  const panel = $('panel');
  panel.hidden = false;
  document.body.classList.add('panel-open');
  $('panel-title').textContent = c.n ? `Source [${c.n}]` : `Source: ${c.section || c.title}`;
  const rows = [['Report', c.title], ['Organisation', c.organisation || '—'], ['Period', c.period || '—'], ['Page', String(c.page)], ['Section', c.section || '—'], ['File', c.source]];
  $('panel-meta').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  const pdf = $('panel-pdf');
  pdf.href = `/api/documents/${encodeURIComponent(c.doc_id)}/file#page=${c.page}`;
  pdf.textContent = `Open the ${c.source.toLowerCase().endsWith('.pdf') ? 'PDF' : 'file'} at page ${c.page}`;
  const body = $('panel-body');
  body.replaceChildren(el('p', { class: 'loading', text: 'Loading the page…' }));
  $('panel-title').focus();
  try {
    const blocks = [];
    for (let n = c.page, end = -1; end < c.quote_end && blocks.length < 4; n += 1) {
      let page;
      try { page = await getPage(c.doc_id, n); } catch (e) { if (blocks.length && e.status === 404) break; throw e; }
      blocks.push(el('section', { class: 'page', 'aria-label': `Page ${page.number}` },
        el('h3', { class: 'page-no', text: `Page ${page.number}` }), el('div', { class: 'page-text' }, ...pageNodes(page, c))));
      end = page.char_end;
    }
    body.replaceChildren(...blocks);
    const mark = body.querySelector('mark');
    if (mark) body.scrollTop = Math.max(0, mark.offsetTop - body.clientHeight / 3);
  } catch (e) {
    body.replaceChildren(el('p', { class: 'error-text', role: 'alert', text: `The page could not be loaded: ${e.message}` }));
  }
}

export function closePanel() {
  $('panel').hidden = true;
  document.body.classList.remove('panel-open');
  if (state.lastRef && state.lastRef.isConnected) state.lastRef.focus();
}
