// An answer as the page shows it: text with citation markers, tables, sources, and its actions.
import { $, ServerDown, api, el, thumb } from './dom.js';
import { checkHealth } from './health.js';
import { openCitation } from './panel.js';
import { tableNodes } from './table.js';

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

export function renderAnswer(turn, data) {
  turn.bot.setAttribute('aria-busy', 'false');
  turn.bot.classList.toggle('abstain', !data.answerable);
  turn.body.replaceChildren(...answerNodes(data.answer, data.citations));
  for (const c of data.citations) {
    const table = tableNodes(c, data.answer);
    if (table) turn.body.append(el('figure', { class: 'quoted-table' }, el('figcaption', { text: `Table quoted in [${c.n}]: ${c.title}, p. ${c.page}` }), table));
  }
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

// ``askAgain`` asks the question again (ask.ask; passed in so that this module does not import it).
export function renderError(turn, err, askAgain) {
  turn.bot.setAttribute('aria-busy', 'false');
  turn.bot.classList.add('failed');
  const retry = el('button', { type: 'button', class: 'btn small', text: 'Try again', onclick: () => { turn.node.remove(); askAgain(turn.question); } });
  turn.body.replaceChildren(el('p', { class: 'error-text', role: 'alert', text: err.message }), retry);
  if (err instanceof ServerDown) checkHealth();
}
