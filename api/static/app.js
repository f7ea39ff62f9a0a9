// reportqa chat page. All data (answers, passages, titles, questions) is shown with textContent
// or createElement — never innerHTML — so text from a document can never run as markup.
'use strict';

const EXAMPLES = [
  'How did training attendance change?',
  'What was learned from rapid reviews?',
  'How much did partners contribute in 2019-20?',
  'How many individuals attended training in 2021-22?',
  'What were the priorities in 2024-25?',
  'What did the partnership say about neglect?',
];
const JOB_TEXT = {
  queued: 'Waiting for another upload to finish…', reading: 'Reading the file…',
  embedding: 'Embedding the passages…', saving: 'Saving the index…', done: 'Indexed', failed: 'Failed',
};
const MODE_HINT = {
  answer: 'Short answers quoted from the reports, each claim cited.',
  learning: 'For trainers: lessons from rapid reviews, practice reviews and audits, grouped by theme across years.',
};
const DOWN = 'Cannot reach the reportqa server. Check that it is running, then try again.';

const state = { history: [], busy: false, docs: [], periods: new Set(), sources: new Set(), orgs: new Set(), pages: new Map(), lastRef: null };
const $ = (id) => document.getElementById(id);

// el('p', {class: 'x', text: 'y', onclick: f, 'aria-label': 'z'}, child, 'text child')
function el(tag, props = {}, ...children) {
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
function thumb(down) {
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

class ServerDown extends Error {}

async function api(path, options = {}) {
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

function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }

function showBanner(text) { $('banner-text').textContent = text; $('banner').hidden = !text; }

async function checkHealth() {
  const h = $('health');
  try {
    const data = await api('/api/health');
    h.textContent = `${data.documents} reports · ${data.chunks} passages`;
    h.className = 'health ok';
    showBanner('');
    return true;
  } catch (e) {
    h.textContent = 'Server unreachable';
    h.className = 'health down';
    showBanner(e instanceof ServerDown ? DOWN : e.message);
    return false;
  }
}

// ---- filters and documents ------------------------------------------------------------------
function currentMode() { return document.querySelector('input[name="mode"]:checked').value; }

function requestFilters() {
  const f = {};
  if (state.periods.size) f.period = [...state.periods];
  if (state.sources.size) f.source = [...state.sources];
  if (state.orgs.size) f.organisation = [...state.orgs];
  return Object.keys(f).length ? f : null;
}

function renderActiveFilters() {
  const box = $('active-filters');
  const chips = [];
  for (const o of state.orgs) chips.push(el('span', { class: 'tag', text: o }));
  for (const p of state.periods) chips.push(el('span', { class: 'tag', text: p }));
  for (const s of state.sources) {
    const d = state.docs.find((x) => x.source === s);
    chips.push(el('span', { class: 'tag', text: d ? `${d.title} (${d.period || 'no period'})` : s }));
  }
  if (chips.length) chips.unshift(el('span', { class: 'tag-label', text: 'Searching only:' }));
  if (currentMode() === 'learning') chips.unshift(el('span', { class: 'tag learning', text: 'Learning from reviews mode' }));
  box.replaceChildren(...chips);
  $('clear-filters').hidden = !(state.periods.size || state.sources.size || state.orgs.size);
}

function renderFilters() {
  const periods = [...new Set(state.docs.map((d) => d.period).filter(Boolean))].sort();
  for (const p of [...state.periods]) if (!periods.includes(p)) state.periods.delete(p);
  $('period-filters').replaceChildren(...periods.map((p) => el('button', {
    type: 'button', class: 'chip', text: p, 'aria-pressed': state.periods.has(p) ? 'true' : 'false',
    onclick: (ev) => {
      if (state.periods.has(p)) state.periods.delete(p); else state.periods.add(p);
      ev.currentTarget.setAttribute('aria-pressed', state.periods.has(p) ? 'true' : 'false');
      renderActiveFilters();
    },
  })));
  renderOrgFilters();
  const token = $('admin-token').value.trim();
  $('doc-count').textContent = `(${state.docs.length})`;
  $('doc-list').replaceChildren(...state.docs.map((d) => {
    const box = el('input', { type: 'checkbox', value: d.source, checked: state.sources.has(d.source) });
    box.addEventListener('change', () => {
      if (box.checked) state.sources.add(d.source); else state.sources.delete(d.source);
      renderActiveFilters();
    });
    const meta = `${d.period || 'no period'} · ${d.kind} · ${plural(d.n_pages, 'page')} · ${plural(d.n_chunks, 'passage')}`;
    const [prefix, short] = d.title.includes(' - ') ? [d.title.slice(0, d.title.indexOf(' - ')), d.title.slice(d.title.indexOf(' - ') + 3)] : ['', d.title];
    const org = (d.organisation && d.organisation.name) || d.partnership || prefix;
    const remove = token ? el('button', {
      type: 'button', class: 'btn ghost small danger', text: 'Remove', 'aria-label': `Remove ${d.title} from the index`,
      onclick: () => removeDocument(d),
    }) : null;
    return el('li', { class: 'doc' },
      el('label', { title: d.title }, box, el('span', { class: 'doc-title', text: short }), org ? el('span', { class: 'doc-org', text: org }) : null,
        el('span', { class: 'doc-meta', text: meta })),
      el('a', { class: 'doc-file', href: `/api/documents/${encodeURIComponent(d.doc_id)}/file`, target: '_blank', rel: 'noopener', text: d.source }),
      remove);
  }));
  renderActiveFilters();
}

// The partnerships the documents belong to, as filters.organisation takes them; shown only
// when there is a choice to make.
function renderOrgFilters() {
  const orgs = [...new Set(state.docs.map((d) => d.partnership).filter(Boolean))].sort();
  for (const o of [...state.orgs]) if (!orgs.includes(o)) state.orgs.delete(o);
  $('org-section').hidden = orgs.length < 2;
  $('org-filters').replaceChildren(...orgs.map((o) => el('button', {
    type: 'button', class: 'chip', text: o, 'aria-pressed': state.orgs.has(o) ? 'true' : 'false',
    onclick: (ev) => {
      if (state.orgs.has(o)) state.orgs.delete(o); else state.orgs.add(o);
      ev.currentTarget.setAttribute('aria-pressed', state.orgs.has(o) ? 'true' : 'false');
      renderActiveFilters();
    },
  })));
}

async function loadDocuments() {
  try {
    state.docs = await api('/api/documents');
    for (const s of [...state.sources]) if (!state.docs.some((d) => d.source === s)) state.sources.delete(s);
    renderFilters();
  } catch (e) { showBanner(e.message); }
}

function authHeaders() {
  const t = $('admin-token').value.trim();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

async function removeDocument(d) {
  if (!window.confirm(`Remove "${d.title}" (${d.source}) from the index?`)) return;
  try {
    await api(`/api/documents/${encodeURIComponent(d.doc_id)}`, { method: 'DELETE', headers: authHeaders() });
    state.pages.clear();
    await loadDocuments();
    checkHealth();
  } catch (e) { showBanner(e.message); }
}

// ---- upload ---------------------------------------------------------------------------------
function uploadStatus(text, percent, failed = false) {
  $('upload-status').hidden = false;
  $('upload-text').textContent = text;
  $('upload-text').className = failed ? 'error-text' : '';
  $('upload-progress').value = percent;
}

function sendFile(file) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/documents');
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) uploadStatus(`Uploading ${file.name}… ${Math.round((100 * e.loaded) / e.total)}%`, (20 * e.loaded) / e.total);
    };
    xhr.onerror = () => reject(new ServerDown(DOWN));
    xhr.onload = () => {
      let data = {};
      try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 202) resolve(data);
      else reject(new Error(typeof data.detail === 'string' ? data.detail : `The server answered ${xhr.status}.`));
    };
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

async function upload(ev) {
  ev.preventDefault();
  const file = $('upload-file').files[0];
  if (!file) return;
  $('upload-button').disabled = true;
  try {
    const job = await sendFile(file);
    for (;;) {
      const j = await api(`/api/jobs/${encodeURIComponent(job.job_id)}`);
      if (j.state === 'done' || j.state === 'failed') {
        uploadStatus(j.detail || JOB_TEXT[j.state], j.state === 'done' ? 100 : 0, j.state === 'failed');
        if (j.state === 'done') { $('upload-form').reset(); $('admin-token').value = sessionStorage.getItem('reportqa-token') || ''; state.pages.clear(); await loadDocuments(); checkHealth(); }
        break;
      }
      uploadStatus(`${file.name}: ${JOB_TEXT[j.state] || j.state}`, 20 + (80 * j.step) / (j.steps + 1));
      await new Promise((r) => setTimeout(r, 400));
    }
  } catch (e) {
    uploadStatus(e.message, 0, true);
  } finally {
    $('upload-button').disabled = false;
  }
}

// ---- asking ---------------------------------------------------------------------------------
function parseSSE(buffer, onEvent) {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop();
  for (const block of blocks) {
    let event = 'message'; const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length) onEvent(event, JSON.parse(data.join('\n')));
  }
  return rest;
}

async function askStream(body, turn) {
  let resp;
  try {
    resp = await fetch('/api/ask/stream', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' }, body: JSON.stringify(body) });
  } catch (e) { return null; } // fall back to /api/ask, which reports a down server itself
  if (resp.status === 404 || resp.status === 405 || !resp.body) return null;
  if (!resp.ok) {
    const data = await resp.json().catch(() => ({}));
    throw new Error(typeof data.detail === 'string' ? data.detail : `The server answered ${resp.status}.`);
  }
  const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = ''; let result = null; let failure = null;
  const streamed = el('p', { class: 'streaming' });
  for (;;) {
    let chunk;
    try { chunk = await reader.read(); } catch (e) { throw new ServerDown(DOWN); }
    if (chunk.done) break;
    buffer = parseSSE(buffer + chunk.value, (event, data) => {
      if (event === 'status') turn.status.textContent = data.message;
      else if (event === 'token') {
        if (!streamed.isConnected) turn.body.replaceChildren(streamed);
        streamed.append(data.text);
      } else if (event === 'done') result = data;
      else if (event === 'error') failure = new Error(data.detail);
    });
  }
  if (failure) throw failure;
  if (!result) throw new Error('The answer stopped before it was complete. Please try again.');
  return result;
}

function addTurn(question) {
  const status = el('span', { class: 'status-text', text: 'Sending…' });
  const body = el('div', { class: 'answer-body' }, el('p', { class: 'loading', role: 'status' }, el('span', { class: 'spinner', 'aria-hidden': 'true' }), status));
  const bot = el('article', { class: 'msg bot', 'aria-busy': 'true', 'aria-label': 'Answer' }, body);
  const user = el('div', { class: 'msg user' }, el('p', { class: 'question-text', text: question }));
  const turn = el('section', { class: 'turn' }, user, bot);
  $('thread').append(turn);
  turn.scrollIntoView({ block: 'end' });
  return { node: turn, bot, body, status, question };
}

function answerNodes(text, citations) {
  const byN = new Map(citations.map((c) => [String(c.n), c]));
  const nodes = []; let list = null;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const item = /^\s*-\s+/.test(line);
    const host = el(item ? 'li' : 'p', { class: !item && line.trim().endsWith(':') ? 'lead' : null });
    for (const part of line.replace(/^\s*-\s+/, '').split(/(\[\d+\])/)) {
      const c = byN.get(part.slice(1, -1));
      if (/^\[\d+\]$/.test(part) && c) {
        host.append(el('button', {
          type: 'button', class: 'cite-ref', text: part, 'data-n': c.n,
          'aria-label': `Source ${c.n}: ${c.title}, ${c.period}, page ${c.page}`,
          onclick: (ev) => openCitation(c, ev.currentTarget),
        }));
      } else host.append(part);
    }
    if (item) { if (!list) { list = el('ul'); nodes.push(list); } list.append(host); } else { list = null; nodes.push(host); }
  }
  return nodes;
}

function copyText(data) {
  const lines = [data.answer];
  if (data.citations.length) lines.push('', 'Sources:');
  for (const c of data.citations) {
    lines.push(`[${c.n}] ${c.title} (${c.period}), p. ${c.page}${c.section ? `, ${c.section}` : ''} — ${c.source}`);
    lines.push(`    "${c.quote}"`);
  }
  return lines.join('\n');
}

async function copyAnswer(data, note) {
  const text = copyText(data);
  try { await navigator.clipboard.writeText(text); } catch (e) {
    const area = el('textarea', { class: 'sr-only' }); area.value = text;
    document.body.append(area); area.select(); document.execCommand('copy'); area.remove();
  }
  note.textContent = 'Copied the answer with its sources.';
}

async function sendFeedback(turn, data, rating, comment, note, buttons) {
  const citations = data.citations.map(({ n, source, doc_id, title, period, page, section, quote, quote_start, quote_end }) => ({ n, source, doc_id, title, period, page, section, quote, quote_start, quote_end }));
  try {
    await api('/api/feedback', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: turn.question, answer: data.answer, citations, rating, comment, mode: turn.request.mode, history: turn.request.history }),
    });
    for (const b of buttons) b.setAttribute('aria-pressed', b.dataset.rating === rating ? 'true' : 'false');
    note.textContent = 'Thank you — your feedback is saved for review.';
  } catch (e) { note.textContent = `Feedback not saved: ${e.message}`; }
}

function actionsFor(turn, data) {
  const note = el('span', { class: 'action-note', role: 'status' });
  const form = el('form', { class: 'comment-form', hidden: true });
  const comment = el('textarea', { rows: '2', maxlength: '2000', 'aria-label': 'What was wrong or missing? (optional)', placeholder: 'What was wrong or missing? (optional)' });
  const rate = (rating) => (rating === 'up' ? sendFeedback(turn, data, 'up', '', note, buttons) : (form.hidden = false, comment.focus()));
  const buttons = [['up', 'Helpful'], ['down', 'Not helpful']].map(([rating, label]) => el('button', {
    type: 'button', class: 'btn ghost small', 'data-rating': rating, 'aria-pressed': 'false', onclick: () => rate(rating),
  }, thumb(rating === 'down'), label));
  form.append(comment, el('button', { type: 'submit', class: 'btn small', text: 'Send feedback' }));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); form.hidden = true; sendFeedback(turn, data, 'down', comment.value, note, buttons); });
  const copy = el('button', { type: 'button', class: 'btn ghost small', text: 'Copy', 'aria-label': 'Copy the answer with its sources', onclick: () => copyAnswer(data, note) });
  return [el('div', { class: 'actions' }, copy, ...buttons, note), form];
}

function renderAnswer(turn, data) {
  turn.bot.setAttribute('aria-busy', 'false');
  turn.bot.classList.toggle('abstain', !data.answerable);
  turn.body.replaceChildren(...answerNodes(data.answer, data.citations));
  const parts = [];
  if (data.citations.length) {
    parts.push(el('h3', { class: 'sources-title', text: 'Sources' }));
    parts.push(el('ol', { class: 'sources' }, ...data.citations.map((c) => el('li', {},
      el('button', { type: 'button', class: 'source-btn', 'data-n': c.n, onclick: (ev) => openCitation(c, ev.currentTarget) },
        el('span', { class: 'source-n', text: `[${c.n}]` }),
        el('span', { class: 'source-title', text: c.title }),
        c.organisation ? el('span', { class: 'source-org', text: c.organisation }) : null,
        el('span', { class: 'source-meta', text: `${c.period} · p. ${c.page}${c.section ? ` · ${c.section}` : ''}` }))))));
  }
  const scope = turn.request.mode === 'learning' ? 'Learning from reviews · ' : '';
  parts.push(el('p', { class: 'timing', text: `${scope}answered in ${Math.round(data.timings.total_ms)} ms` }));
  turn.bot.append(...parts, ...actionsFor(turn, data));
}

function renderError(turn, err) {
  turn.bot.setAttribute('aria-busy', 'false');
  turn.bot.classList.add('failed');
  const retry = el('button', { type: 'button', class: 'btn small', text: 'Try again', onclick: () => { turn.node.remove(); ask(turn.question); } });
  turn.body.replaceChildren(el('p', { class: 'error-text', role: 'alert', text: err.message }), retry);
  if (err instanceof ServerDown) checkHealth();
}

async function ask(question) {
  question = question.trim();
  if (state.busy || !question) return;
  state.busy = true; $('send').disabled = true;
  $('empty').hidden = true;
  const turn = addTurn(question);
  const request = { question, history: state.history.slice(-20), mode: currentMode() };
  const filters = requestFilters();
  if (filters) request.filters = filters;
  turn.request = request;
  try {
    turn.status.textContent = 'Searching the reports…';
    const data = (await askStream(request, turn)) || (await api('/api/ask', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request),
    }));
    renderAnswer(turn, data);
    state.history.push(question);
  } catch (e) {
    renderError(turn, e);
  } finally {
    state.busy = false; $('send').disabled = false;
    turn.node.scrollIntoView({ block: turn.node.offsetHeight > $('thread').clientHeight ? 'start' : 'end' });
  }
}

// ---- citation panel -------------------------------------------------------------------------
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

async function openCitation(c, trigger) {
  state.lastRef = trigger || null;
  document.querySelectorAll('.cite-ref.active, .source-btn.active').forEach((b) => b.classList.remove('active'));
  if (trigger) trigger.classList.add('active');
  const panel = $('panel');
  panel.hidden = false;
  document.body.classList.add('panel-open');
  $('panel-title').textContent = `Source [${c.n}]`;
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

function closePanel() {
  $('panel').hidden = true;
  document.body.classList.remove('panel-open');
  if (state.lastRef && state.lastRef.isConnected) state.lastRef.focus();
}

// ---- wiring ---------------------------------------------------------------------------------
function newConversation() {
  state.history = [];
  $('thread').replaceChildren($('empty'));
  $('empty').hidden = false;
  closePanel();
  $('question').focus();
}

function submitQuestion() {
  const q = $('question');
  const text = q.value;
  if (!text.trim() || state.busy) return;
  q.value = ''; q.style.height = '';
  ask(text);
}

function init() {
  $('examples').replaceChildren(...EXAMPLES.map((q) => el('li', {}, el('button', { type: 'button', class: 'example', text: q, onclick: () => ask(q) }))));
  const q = $('question');
  q.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); submitQuestion(); }
  });
  q.addEventListener('input', () => { q.style.height = ''; q.style.height = `${Math.min(q.scrollHeight, 200)}px`; });
  $('ask-form').addEventListener('submit', (ev) => { ev.preventDefault(); submitQuestion(); });
  $('new-chat').addEventListener('click', newConversation);
  $('panel-close').addEventListener('click', closePanel);
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !$('panel').hidden) closePanel(); });
  $('banner-retry').addEventListener('click', () => { checkHealth().then((ok) => ok && loadDocuments()); });
  $('clear-filters').addEventListener('click', () => { state.periods.clear(); state.sources.clear(); state.orgs.clear(); renderFilters(); });
  for (const r of document.querySelectorAll('input[name="mode"]')) {
    r.addEventListener('change', () => { $('mode-hint').textContent = MODE_HINT[currentMode()]; renderActiveFilters(); });
  }
  const toggle = $('menu-toggle');
  toggle.addEventListener('click', () => {
    const open = !document.body.classList.contains('sidebar-open');
    document.body.classList.toggle('sidebar-open', open);
    toggle.setAttribute('aria-expanded', String(open));
  });
  const token = $('admin-token');
  token.value = sessionStorage.getItem('reportqa-token') || '';
  let hadToken = Boolean(token.value.trim());
  token.addEventListener('input', () => { // Remove buttons show while a token is entered
    sessionStorage.setItem('reportqa-token', token.value.trim());
    if (hadToken !== Boolean(token.value.trim())) { hadToken = !hadToken; renderFilters(); }
  });
  $('upload-form').addEventListener('submit', upload);
  checkHealth().then((ok) => ok && loadDocuments());
}

document.addEventListener('DOMContentLoaded', init);
