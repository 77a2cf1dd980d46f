/** Saves a data URL or a text as a file through a temporary link (导出 PNG / 导出 CSV). */
export function downloadUrl(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  downloadUrl(url, fileName);
  // The click has started the download; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file name from a widget title: no characters a file system refuses. */
export const safeFileName = (title: string) => title.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80) || 'chart';
