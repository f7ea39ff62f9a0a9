// Mode, partnership, period and report filters, and the list of indexed reports.
import { $, api, el } from './dom.js';
import { checkHealth, showBanner } from './health.js';
import { state } from './state.js';

export function currentMode() { return document.querySelector('input[name="mode"]:checked').value; }

export function requestFilters() {
  const f = {};
  if (state.periods.size) f.period = [...state.periods];
  if (state.sources.size) f.source = [...state.sources];
  if (state.orgs.size) f.organisation = [...state.orgs];
  return Object.keys(f).length ? f : null;
}

export function renderActiveFilters() {
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

export function renderFilters() {
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

export async function loadDocuments() {
  try {
    state.docs = await api('/api/documents');
    for (const s of [...state.sources]) if (!state.docs.some((d) => d.source === s)) state.sources.delete(s);
    renderFilters();
  } catch (e) { showBanner(e.message); }
}

export function authHeaders() {
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

export function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }
