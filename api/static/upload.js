// Uploading a report and following its indexing job.
import { $, DOWN, ServerDown, api } from './dom.js';
import { authHeaders, loadDocuments } from './filters.js';
import { checkHealth } from './health.js';
import { state } from './state.js';

const JOB_TEXT = {
  queued: 'Waiting for another upload to finish…', reading: 'Reading the file…',
  embedding: 'Embedding the passages…', saving: 'Saving the index…', done: 'Indexed', failed: 'Failed',
};

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

export async function upload(ev) {
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
