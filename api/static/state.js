// What the page knows: the conversation, the documents, the filters chosen and loaded pages.

export const state = { history: [], busy: false, docs: [], periods: new Set(), sources: new Set(), orgs: new Set(), pages: new Map(), lastRef: null };
