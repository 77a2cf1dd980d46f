/** How a public link shows wherever it is listed (a form's 外链 table, an instance's card): its state's colour and copying its address. */
import { App } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';
import { linkUrl, type PublicLink } from './api.ts';
import { publicLinkMessages } from './i18n.ts';

export const STATE_COLOURS: Record<PublicLink['state'], string> = { open: 'green', used: 'default', expired: 'orange', revoked: 'red' };

/** Copies a link's full address, with a toast either way (the clipboard is refused on plain http from other hosts). */
export function useCopyLink(): (link: Pick<PublicLink, 'path'>) => Promise<void> {
  const t = useMessages(publicLinkMessages);
  const { message } = App.useApp();
  return async (link) => {
    try {
      await navigator.clipboard.writeText(linkUrl(link));
      message.success(t('copied'));
    } catch {
      message.warning(t('copyFailed'));
    }
  };
}
