// The server's health line and the banner that says when it cannot be reached.
import { $, DOWN, ServerDown, api } from './dom.js';

export function showBanner(text) { $('banner-text').textContent = text; $('banner').hidden = !text; }

export async function checkHealth() {
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
