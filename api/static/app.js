// reportqa page: wires the views together. Each module has one job (see the imports).
import { $, el } from './dom.js';
import { ask } from './ask.js';
import { currentMode, loadDocuments, renderActiveFilters, renderFilters } from './filters.js';
import { checkHealth, showBanner } from './health.js';
import { initLearning } from './learning.js';
import { closePanel, openCitation } from './panel.js';
import { state } from './state.js';
import { upload } from './upload.js';

const EXAMPLES = [
  'How did training attendance change?',
  'What was learned from rapid reviews?',
  'How much did partners contribute in 2019-20?',
  'How many individuals attended training in 2021-22?',
  'What were the priorities in 2024-25?',
  'What did the partnership say about neglect?',
];

const MODE_HINT = {
  answer: 'Short answers quoted from the reports, each claim cited.',
  learning: 'For trainers: lessons from rapid reviews, practice reviews and audits, grouped by theme across years.',
};

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
  initLearning({ openCitation, showBanner });
  checkHealth().then((ok) => ok && loadDocuments());
}

init();
