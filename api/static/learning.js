// The Learning view: a grid of themes by year for each partnership, filters, a search within
// the learning, the points of a cell (each opens the citation panel at its quote) and the
// briefing downloads.
import { $, api, el } from './dom.js';

const lstate = { data: null, cell: null, deps: null };

function query(extra = {}) {
  const p = new URLSearchParams();
  for (const [name, id] of [['theme', 'l-theme'], ['kind', 'l-kind'], ['partnership', 'l-partnership'], ['period', 'l-period']]) {
    const v = $(id).value;
    if (v) p.append(name, v);
  }
  const q = $('l-search').value.trim();
  if (q) p.set('q', q);
  for (const [k, v] of Object.entries(extra)) for (const x of [].concat(v)) p.append(k, x);
  return p;
}

function fillSelect(id, values, labelOf = (v) => v) {
  const sel = $(id);
  const keep = sel.value;
  sel.replaceChildren(el('option', { value: '', text: 'All' }), ...values.map((v) => el('option', { value: v, text: labelOf(v) })));
  if (values.includes(keep)) sel.value = keep;
}

function citationOf(p) {
  return { n: '', title: p.title, organisation: p.partnership, period: p.period, page: p.page, section: `${p.review} (${p.review_kind})`,
    source: p.source, doc_id: p.doc_id, quote_start: p.quote_start, quote_end: p.quote_end, char_start: p.quote_start, char_end: p.quote_end };
}

function shownPoints() {
  const pts = lstate.data ? lstate.data.points : [];
  if (!lstate.cell) return pts;
  const { partnership, theme, period } = lstate.cell;
  return pts.filter((p) => p.partnership === partnership && p.period === period && p.themes.includes(theme));
}

function renderPoints() {
  const pts = shownPoints();
  const labels = Object.fromEntries(lstate.data.themes.map((t) => [t.key, t.label]));
  const title = lstate.cell ? `${labels[lstate.cell.theme]} · ${lstate.cell.period} · ${lstate.cell.partnership}` : 'All points that match the filters';
  $('l-points-title').textContent = `${title} (${pts.length})`;
  $('l-points').replaceChildren(...pts.map((p) => el('li', { class: `lpoint ${p.type}` },
    el('p', { class: 'lpoint-meta' },
      el('strong', { text: p.review }), ` · ${p.review_kind} · ${p.period} · ${p.partnership}`,
      el('span', { class: 'tag', text: p.type === 'action' ? 'Action' : 'Learning' })),
    el('blockquote', { class: 'lpoint-quote', text: p.quote }),
    el('p', { class: 'lpoint-themes', text: p.themes.map((t) => labels[t]).join(' · ') }),
    el('button', { type: 'button', class: 'btn small', text: `Show in ${p.title}, p. ${p.page}`,
      onclick: (ev) => lstate.deps.openCitation(citationOf(p), ev.currentTarget) }))));
  const ids = pts.map((p) => p.id);
  for (const [id, ext] of [['l-md', 'md'], ['l-docx', 'docx']]) {
    const a = $(id);
    a.href = `/api/learning/briefing.${ext}?${query(lstate.cell ? { ids, theme: $('l-theme').value ? [] : [lstate.cell.theme] } : {}).toString()}`;
    a.setAttribute('aria-disabled', pts.length ? 'false' : 'true');
  }
}

function renderGrid() {
  const d = lstate.data;
  const labels = Object.fromEntries(d.themes.map((t) => [t.key, t.label]));
  const tables = d.partnerships.filter((who) => d.grid.some((c) => c.partnership === who)).map((who) => {
    const cells = d.grid.filter((c) => c.partnership === who);
    const periods = [...new Set(cells.map((c) => c.period))].sort();
    const themes = d.themes.map((t) => t.key).filter((k) => cells.some((c) => c.theme === k));
    const count = (t, y) => (cells.find((c) => c.theme === t && c.period === y) || { count: 0 }).count;
    return el('table', { class: 'lgrid' },
      el('caption', { text: `${who}: learning points by theme and year` }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Theme' }), ...periods.map((y) => el('th', { scope: 'col', text: y })))),
      el('tbody', {}, ...themes.map((t) => el('tr', {}, el('th', { scope: 'row', text: labels[t] }), ...periods.map((y) => {
        const n = count(t, y);
        const on = lstate.cell && lstate.cell.partnership === who && lstate.cell.theme === t && lstate.cell.period === y;
        return el('td', {}, n ? el('button', { type: 'button', class: 'cell-btn', text: String(n), 'aria-pressed': on ? 'true' : 'false',
          'aria-label': `${n} points on ${labels[t]} in ${y}, ${who}`,
          onclick: () => { lstate.cell = on ? null : { partnership: who, theme: t, period: y }; renderGrid(); renderPoints(); } }) : '');
      })))));
  });
  const reviews = d.reviews.length;
  $('l-summary').textContent = `${reviews} reviews · ${d.points.length} points match`;
  $('l-grid').replaceChildren(...(tables.length ? tables : [el('p', { text: 'No learning matches these filters.' })]));
}

async function load() {
  try {
    lstate.data = await api(`/api/learning?${query().toString()}`);
    const labels = Object.fromEntries(lstate.data.themes.map((t) => [t.key, t.label]));
    fillSelect('l-theme', lstate.data.themes.map((t) => t.key), (k) => labels[k]);
    fillSelect('l-kind', lstate.data.kinds);
    fillSelect('l-partnership', lstate.data.partnerships);
    fillSelect('l-period', lstate.data.periods);
    lstate.cell = null;
    renderGrid();
    renderPoints();
  } catch (e) { lstate.deps.showBanner(e.message); }
}

export function showView(name) {
  const learning = name === 'learning';
  $('chat').hidden = learning;
  $('learning').hidden = !learning;
  $('view-chat').setAttribute('aria-pressed', String(!learning));
  $('view-learning').setAttribute('aria-pressed', String(learning));
  document.body.classList.toggle('learning-view', learning);
  if (learning && !lstate.data) load();
}

export function initLearning(deps) {
  lstate.deps = deps;
  $('view-chat').addEventListener('click', () => showView('chat'));
  $('view-learning').addEventListener('click', () => showView('learning'));
  $('l-form').addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  for (const id of ['l-theme', 'l-kind', 'l-partnership', 'l-period']) $(id).addEventListener('change', load);
  if (window.location.hash === '#learning') showView('learning');
}
