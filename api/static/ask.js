// Sending a question (streamed, or plain when streaming is not served) and showing its turn.
import { $, DOWN, ServerDown, api, el } from './dom.js';
import { renderAnswer, renderError } from './answer.js';
import { currentMode, requestFilters } from './filters.js';
import { state } from './state.js';

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
  // Newest first in the document (shown at the bottom: the thread is a reversed column), so the
  // newest answer's citations are the next Tab stops after the question box and Send.
  $('thread').prepend(turn);
  turn.scrollIntoView({ block: 'end' });
  return { node: turn, bot, body, status, question };
}

export async function ask(question) {
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
    renderError(turn, e, ask);
  } finally {
    state.busy = false; $('send').disabled = false;
    turn.node.scrollIntoView({ block: turn.node.offsetHeight > $('thread').clientHeight ? 'start' : 'end' });
  }
}
