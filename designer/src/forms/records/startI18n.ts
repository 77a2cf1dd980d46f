/** Strings of the record page's "start a process from this record" buttons (StartFromRecord.tsx). */
export const startMessages = {
  zh: {
    start: '发起{name}',
    started: '已发起{name}',
    openInstance: '查看流程',
    startFailed: '未能发起：{error}',
  },
  en: {
    start: 'Start {name}',
    started: '{name} started',
    openInstance: 'Open process',
    startFailed: 'Could not start: {error}',
  },
};
