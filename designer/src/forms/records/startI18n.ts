/** Strings of the record page's "start a process from this record" buttons (StartFromRecord.tsx). */
export const startMessages = {
  zh: {
    start: '发起{name}',
    started: '已发起{name}',
    openInstance: '查看流程',
    startFailed: '未能发起：{error}',
    running: '{name}进行中 · 查看',
    runningHelp: '此记录已有一个{name}在进行，结束后才能再发起',
    alreadyRunning: '此记录已有一个{name}在进行',
  },
  en: {
    start: 'Start {name}',
    started: '{name} started',
    openInstance: 'Open process',
    startFailed: 'Could not start: {error}',
    running: '{name} running · open',
    runningHelp: 'A {name} is already running for this record; it can be started again once that one ends',
    alreadyRunning: 'A {name} is already running for this record',
  },
};
