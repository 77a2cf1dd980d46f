/**
 * 草稿: the server keeps deployed versions only, so unfinished work lives in this browser's
 * localStorage, one slot per flow key. Another browser or a cleared cache does not see it.
 */
export interface Draft {
  xml: string;
  savedAt: string;
}

const slot = (key: string) => `liuzhuan.flowDraft.${key}`;

export function loadDraft(key: string): Draft | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(slot(key)) ?? 'null') as Draft | null;
    return parsed && typeof parsed.xml === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function saveDraft(key: string, xml: string): Draft {
  const draft = { xml, savedAt: new Date().toISOString() };
  localStorage.setItem(slot(key), JSON.stringify(draft));
  return draft;
}

export function discardDraft(key: string): void {
  localStorage.removeItem(slot(key));
}

/** Keys of every flow with a draft in this browser (new flows not deployed yet show up in the list). */
export function draftKeys(): string[] {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const name = localStorage.key(i);
    if (name?.startsWith('liuzhuan.flowDraft.')) keys.push(name.slice('liuzhuan.flowDraft.'.length));
  }
  return keys.sort();
}
