/** Structured JSON logs (pino); quiet under tests unless LOG_LEVEL says otherwise. */
import { pino } from 'pino';

export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: { service: 'liuzhuan' },
});

export type Logger = typeof log;
