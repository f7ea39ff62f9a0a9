// A quote that is a table row or rows (text that lost its layout: "Staffing £130,010 £147,121")
// shown as a table again, with the cell the answer gives marked.
import { el } from './dom.js';

const FIGURE = String.raw`(?:£|\$)?-?\d[\d,]*(?:\.\d+)?%?`;
const ROW = new RegExp(String.raw`([A-Za-z(][^£$\d\n]*?)\s+((?:${FIGURE}(?:\s+|$))+)`, 'g');
const PERIOD = /\b(?:19|20)\d{2}(?:[-/]\d{2,4})?\b/g;

// Rows of [label, figures...] read from the quote; [] when it is not a table.
export function tableRows(quote) {
  if (/^\s*\|.*\|\s*$/m.test(quote)) { // a Markdown table row or rows, as text reports quote them
    return quote.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
      .map((line) => line.slice(1, -1).split('|').map((cell) => cell.trim()));
  }
  const rows = [];
  for (const m of quote.matchAll(ROW)) {
    const label = m[1].trim().replace(/^[-–•]\s*/, '');
    const figures = m[2].trim().split(/\s+/);
    if (label.split(/\s+/).length <= 8) rows.push([label, ...figures]);
  }
  const width = Math.max(0, ...rows.map((r) => r.length));
  const covered = rows.reduce((n, r) => n + r.join(' ').length, 0);
  // A table: rows of figures that make up most of the quote.
  return rows.length && width >= 2 && covered >= 0.6 * quote.replace(/\s+/g, ' ').length ? rows : [];
}

// Column headings: the periods named just before the quote in its passage ("2023-24 2024-25").
export function tableHeader(c, ncols) {
  const at = (c.quote_start || 0) - (c.char_start || 0);
  const before = (c.text || '').slice(Math.max(0, at - 160), Math.max(0, at));
  const periods = before.match(PERIOD) || [];
  return periods.length >= ncols ? periods.slice(-ncols) : null;
}

const norm = (x) => x.replace(/[£$,]/g, '');

export function tableNodes(c, answerText) {
  const rows = tableRows(c.quote || '');
  if (!rows.length) return null;
  const ncols = Math.max(...rows.map((r) => r.length)) - 1;
  const header = tableHeader(c, ncols);
  const asked = new Set((answerText.match(new RegExp(FIGURE, 'g')) || []).map(norm).filter((x) => /\d/.test(x) && !/^(19|20)\d{2}$/.test(x)));
  const body = rows.map((r) => el('tr', {}, el('th', { scope: 'row', text: r[0] }), ...r.slice(1).map((v) => {
    const hit = asked.has(norm(v));
    return el('td', { class: hit ? 'asked' : null, text: v }, hit ? el('span', { class: 'sr-only', text: ' (the figure asked for)' }) : null);
  })));
  return el('table', { class: 'answer-table' },
    el('caption', { class: 'sr-only', text: `Table quoted in source ${c.n}` }),
    header ? el('thead', {}, el('tr', {}, el('td', {}), ...header.map((h) => el('th', { scope: 'col', text: h })))) : null,
    el('tbody', {}, ...body));
}
